using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round11Newcomer;

/// <summary>
/// Sentences of the README and the XML docs that no test pinned yet, each read against what the code does: the
/// DI client's lifetime, what a disposed client does under CheckSyncAsync, and which returned objects a user may
/// change without changing the SDK's or the fake server's state.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class PromisesTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    // README, "With dependency injection": "The client is transient and needs no disposing; the login and its cached
    // token ... belong to the registration: every client the service provider hands out shares them".
    [Test]
    public async Task The_DI_client_is_transient_and_every_instance_shares_one_login()
    {
        using var server = FakeLeafServer.Start();
        var services = new ServiceCollection();
        var login = server.CreateLoginOptions();
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = login.BaseAddress;
            o.Username = login.Username;
            o.Password = login.Password;
        });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var first = provider.GetRequiredService<IIntegrationsClient>();
        var second = provider.GetRequiredService<IIntegrationsClient>();
        await first.GetResourcesAsync(leafUserId: DemoUsers.Healthy);
        await second.GetResourcesAsync(leafUserId: DemoUsers.Stale);

        Assert.Multiple(() =>
        {
            Assert.That(services.Single(d => d.ServiceType == typeof(IIntegrationsClient)).Lifetime, Is.EqualTo(ServiceLifetime.Transient));
            Assert.That(second, Is.Not.SameAs(first));
            Assert.That(first, Is.Not.InstanceOf<IDisposable>().And.Not.InstanceOf<IAsyncDisposable>(), "nothing for the user to dispose");
            Assert.That(server.LoginCount, Is.EqualTo(1));
        });
    }

    // SyncChecks.CheckSyncAsync documents ObjectDisposedException: the client's own failure passes through unchanged.
    [Test]
    public async Task CheckSyncAsync_on_a_disposed_client_is_ObjectDisposedException()
    {
        using var server = FakeLeafServer.Start();
        var client = new IntegrationsClient(server.CreateClientOptions());
        client.Dispose();

        await Assert.ThatAsync(() => client.CheckSyncAsync(DemoUsers.Healthy, timeProvider: Time), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(server.Requests, Is.Empty);
    }

    // Providers.All is the catalogue GetInfo and TryParse read: a cast must not let a user rewrite it for everyone.
    [Test]
    public void The_provider_catalogue_cannot_be_changed_through_a_cast()
    {
        var list = (IList<ProviderInfo>)Providers.All;

        Assert.Multiple(() =>
        {
            Assert.That(() => list[0] = list[0] with { Levels = FmisLevels.None }, Throws.InstanceOf<NotSupportedException>());
            Assert.That(() => list.Clear(), Throws.InstanceOf<NotSupportedException>());
            Assert.That(Provider.JohnDeere.GetInfo().Levels, Is.EqualTo(FmisLevels.Grower | FmisLevels.Farm | FmisLevels.Field));
            Assert.That(Providers.All, Has.Count.EqualTo(9));
        });
    }

    // FakeLeafServer.Seed: "Replaces the summaries the server serves" with the ones given then; the list stays the test's.
    [Test]
    public async Task A_list_changed_after_Seed_or_a_snapshot_of_Summaries_leaves_the_server_as_seeded()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        var seeded = new List<SyncSummary> { new() { Provider = Provider.Raven, LeafUserId = DemoUsers.Stale, Fields = 4 } };
        server.Seed(seeded);
        var snapshot = server.Summaries;

        seeded.Add(new SyncSummary { Provider = Provider.Stara, LeafUserId = DemoUsers.Stale, Fields = 1 });
        server.Add(new SyncSummary { Provider = Provider.Sentera, LeafUserId = DemoUsers.Stale, Fields = 2 });
        using var client = new IntegrationsClient(server.CreateClientOptions());
        var response = await client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Select(s => s.Provider), Is.EqualTo(new[] { Provider.Raven, Provider.Sentera }));
            Assert.That(snapshot.Select(s => s.Provider), Is.EqualTo(new[] { Provider.Raven }));
            Assert.That(() => ((IList<SyncSummary>)server.Summaries).Clear(), Throws.InstanceOf<NotSupportedException>());
        });
    }

    // CreateClientOptions and CreateLoginOptions: "New options; change them freely".
    [Test]
    public void Client_options_from_the_fake_are_new_each_time_and_changing_one_leaves_the_next_alone()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        var first = server.CreateClientOptions();
        first.AccessToken = "changed";
        first.MaxRetries = 0;
        var login = server.CreateLoginOptions();
        login.Password = "changed";

        var next = server.CreateClientOptions();
        var nextLogin = server.CreateLoginOptions();

        Assert.Multiple(() =>
        {
            Assert.That((next.AccessToken, next.MaxRetries, next.BaseAddress), Is.EqualTo((server.AccessToken, 3, server.BaseAddress)));
            Assert.That((nextLogin.AccessToken, nextLogin.Username, nextLogin.Password), Is.EqualTo(((string?)null, server.Username, server.Password)));
        });
    }
}
