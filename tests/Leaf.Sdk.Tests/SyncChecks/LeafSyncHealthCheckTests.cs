using System.Net;
using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaf.Sdk.Tests.SyncChecks;

[Parallelizable(ParallelScope.All)]
public sealed class LeafSyncHealthCheckTests
{
    private static ServiceProvider Services(FakeLeafServer server, Action<IHealthChecksBuilder> health, Action<LeafClientOptions>? tweak = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var options = server.CreateClientOptions();
        tweak?.Invoke(options);
        services.AddLeafSdk(o => TestClient.Copy(options, o));
        health(services.AddHealthChecks());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static async Task<HealthReportEntry> RunAsync(ServiceProvider provider, string name = LeafSyncHealthChecksBuilderExtensions.DefaultName)
    {
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[name];
    }

    private static IReadOnlyList<SyncFinding> Findings(HealthReportEntry entry) => (IReadOnlyList<SyncFinding>)entry.Data["findings"];

    [Test]
    public async Task Healthy_user_is_healthy()
    {
        using var server = FakeLeafServer.Start();
        await using var provider = Services(server, h => h.AddLeafSync(o =>
        {
            o.LeafUserIds.Add(DemoUsers.Healthy);
            o.Expectations.ExpectedProviders.Add(Provider.JohnDeere);
        }));

        var entry = await RunAsync(provider);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(Findings(entry), Is.Empty);
            Assert.That(entry.Data["leafUsers"], Is.EqualTo(1));
            Assert.That(entry.Description, Does.Contain("no problems"));
        });
    }

    [Test]
    public async Task Warnings_are_degraded()
    {
        using var server = FakeLeafServer.Start();
        await using var provider = Services(server, h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Stale)));

        var entry = await RunAsync(provider);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(Findings(entry).Single().Code, Is.EqualTo(SyncFindingCode.SyncStale));
            Assert.That(entry.Data["warnings"], Is.EqualTo(1));
            Assert.That(entry.Description, Does.Contain("Raven"));
        });
    }

    [Test]
    public async Task Errors_are_unhealthy_or_the_registration_failure_status()
    {
        using var server = FakeLeafServer.Start();
        await using var provider = Services(server, h => h
            .AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.NeedsAttention))
            .AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.NeedsAttention), name: "leaf-soft", failureStatus: HealthStatus.Degraded));

        var entry = await RunAsync(provider);
        var soft = await RunAsync(provider, "leaf-soft");

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(Findings(entry).Select(f => f.Code), Does.Contain(SyncFindingCode.NoFields).And.Contain(SyncFindingCode.UnknownProvider));
            Assert.That((int)entry.Data["errors"], Is.GreaterThan(0));
            Assert.That(soft.Status, Is.EqualTo(HealthStatus.Degraded));
        });
    }

    [Test]
    public async Task No_configured_user_checks_every_user_in_one_call()
    {
        using var server = FakeLeafServer.Start();
        await using var provider = Services(server, h => h.AddLeafSync());

        var entry = await RunAsync(provider);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Data["leafUsers"], Is.EqualTo(3));
            Assert.That(Findings(entry).Select(f => f.LeafUserId).Distinct(), Is.EquivalentTo(new Guid?[] { DemoUsers.Stale, DemoUsers.NeedsAttention }));
            Assert.That(server.Requests.Single().Query, Is.Empty);
        });
    }

    // Most serious first across users, as the data and the description promise: a dashboard showing the description's
    // "First:" shows the error, not the warning of a user checked before.
    [Test]
    public async Task Findings_of_several_users_come_most_serious_first()
    {
        using var server = FakeLeafServer.Start();
        await using var provider = Services(server, h => h.AddLeafSync(o =>
        {
            o.LeafUserIds.Add(DemoUsers.Stale);            // a warning, checked first
            o.LeafUserIds.Add(DemoUsers.NeedsAttention);   // errors
        }));

        var entry = await RunAsync(provider);
        var severities = Findings(entry).Select(f => f.Severity).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(severities, Does.Contain(SyncFindingSeverity.Warning).And.Contain(SyncFindingSeverity.Error));
            Assert.That(severities, Is.Ordered.Descending, "most serious first");
            Assert.That(severities[0], Is.EqualTo(SyncFindingSeverity.Error));
            Assert.That(entry.Description, Does.Contain($"First: {Findings(entry)[0]}"));
        });
    }

    [Test]
    public async Task Several_users_are_each_checked()
    {
        using var server = FakeLeafServer.Start();
        await using var provider = Services(server, h => h.AddLeafSync(o =>
        {
            o.LeafUserIds.Add(DemoUsers.Healthy);
            o.LeafUserIds.Add(DemoUsers.Stale);
        }));

        var entry = await RunAsync(provider);

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(server.Requests.Select(r => r.Query["leafUserId"]), Is.EquivalentTo(new[] { DemoUsers.Healthy.ToString(), DemoUsers.Stale.ToString() }));
    }

    [Test]
    public async Task Leaf_failure_is_unhealthy_with_the_message()
    {
        using var server = FakeLeafServer.Start();
        server.FailNext(1, HttpStatusCode.InternalServerError);
        await using var provider = Services(server, h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy)), o => o.MaxRetries = 0);

        var entry = await RunAsync(provider);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Exception, Is.InstanceOf<LeafApiException>());
            Assert.That(entry.Description, Does.StartWith("The Leaf Sync Summary call failed: ").And.Contain(entry.Exception!.Message));
            Assert.That(entry.Data["statusCode"], Is.EqualTo(500));
        });
    }

    [Test]
    public async Task Refused_token_is_unhealthy_and_never_shows_the_token()
    {
        using var server = FakeLeafServer.Start();
        server.RevokeTokens();
        await using var provider = Services(server, h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy)));

        var entry = await RunAsync(provider);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Exception, Is.InstanceOf<LeafAuthenticationException>());
            Assert.That(entry.Description, Does.Not.Contain(server.AccessToken));
        });
    }

    [Test]
    public async Task Expectations_apply()
    {
        using var server = FakeLeafServer.Start();
        await using var provider = Services(server, h => h.AddLeafSync(o =>
        {
            o.LeafUserIds.Add(DemoUsers.Healthy);
            o.Expectations = new SyncExpectations { ExpectedProviders = { Provider.Raven } };
        }));

        var entry = await RunAsync(provider);

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(Findings(entry).Single().Code, Is.EqualTo(SyncFindingCode.ProviderMissing));
    }
}
