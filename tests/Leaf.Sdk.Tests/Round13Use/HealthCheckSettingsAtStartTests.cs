using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round13Use;

/// <summary>
/// The health check's own settings are checked when the host starts, as <c>AddLeafSdk</c>'s are: a Leaf user id of
/// Guid.Empty or an expected provider that is not known was found only when the check first ran, and every run then
/// reported Unhealthy for a mistake in the app's code.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HealthCheckSettingsAtStartTests
{
    private static IHost Host(FakeLeafServer server, Action<IHealthChecksBuilder> health)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var options = server.CreateClientOptions();
        builder.Services.AddLeafSdk(o => TestClient.Copy(options, o));
        health(builder.Services.AddHealthChecks());
        return builder.Build();
    }

    [Test]
    public async Task Guid_Empty_among_the_Leaf_users_stops_the_host_at_start()
    {
        using var server = FakeLeafServer.Start();
        using var host = Host(server, h => h.AddLeafSync(o =>
        {
            o.LeafUserIds.Add(DemoUsers.Healthy);
            o.LeafUserIds.Add(Guid.Empty);
        }));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(ex!.Message, Is.EqualTo("Health check 'leaf-sync': LeafUserIds holds Guid.Empty, which names no Leaf user: remove it (an empty list checks every Leaf user)."));
        Assert.That(server.Requests, Is.Empty, "nothing is called before the host has started");
    }

    [TestCase(Provider.Unknown)]
    [TestCase((Provider)99)]
    public async Task A_provider_that_is_not_known_among_the_expected_stops_the_host_at_start(Provider provider)
    {
        using var server = FakeLeafServer.Start();
        using var host = Host(server, h => h.AddLeafSync(o => o.Expectations.ExpectedProviders.Add(provider), name: "farms"));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(ex!.Message, Is.EqualTo($"Health check 'farms': Expectations.ExpectedProviders holds {provider}, which is not a known provider: expect known providers only (see Providers.All)."));
    }

    [Test]
    public async Task Only_the_check_whose_settings_are_wrong_is_named()
    {
        using var server = FakeLeafServer.Start();
        using var host = Host(server, h => h
            .AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy), name: "good")
            .AddLeafSync(o => o.LeafUserIds.Add(Guid.Empty), name: "bad"));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Failures.ToList(), Has.Count.EqualTo(1));
            Assert.That(ex.Message, Does.StartWith("Health check 'bad':"));
        });
    }

    [Test]
    public async Task Right_settings_start_and_the_check_runs()
    {
        using var server = FakeLeafServer.Start();
        using var host = Host(server, h => h.AddLeafSync(o =>
        {
            o.LeafUserIds.Add(DemoUsers.Healthy);
            o.Expectations.ExpectedProviders.Add(Provider.JohnDeere);
        }));

        await host.StartAsync();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await host.StopAsync();

        Assert.That(report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName].Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task Without_a_host_the_check_reports_what_is_wrong_when_it_runs()
    {
        using var server = FakeLeafServer.Start();
        var services = new ServiceCollection();
        services.AddLogging();
        var options = server.CreateClientOptions();
        services.AddLeafSdk(o => TestClient.Copy(options, o));
        services.AddHealthChecks().AddLeafSync(o => o.LeafUserIds.Add(Guid.Empty));
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Exception, Is.TypeOf<OptionsValidationException>());
            Assert.That(entry.Exception?.Message, Does.Contain("LeafUserIds holds Guid.Empty"));
            Assert.That(server.Requests, Is.Empty);
        });
    }
}
