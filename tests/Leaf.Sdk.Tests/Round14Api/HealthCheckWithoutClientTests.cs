using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round14Api;

/// <summary>
/// <c>AddLeafSync</c> with no <see cref="IIntegrationsClient"/> to run on (<c>AddLeafSdk</c> forgotten, or called in
/// another service collection). Before, the host started, and every run of the health checks then threw from the check's
/// factory ("No service for type 'Leaf.Sdk.IIntegrationsClient' has been registered"), taking the whole health report
/// down with it: each probe of the health endpoint a 500, the other checks' results lost too.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HealthCheckWithoutClientTests
{
    private const string Expected =
        "Health check 'leaf-sync': no IIntegrationsClient is registered for it to call: add services.AddLeafSdk(...), or register an IIntegrationsClient of your own (a fake in tests).";

    [Test]
    public async Task A_host_without_a_client_stops_at_start_naming_AddLeafSdk()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHealthChecks().AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(ex!.Message, Is.EqualTo(Expected));
    }

    [Test]
    public async Task Without_a_host_the_check_reports_it_and_the_other_checks_still_run()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks()
            .AddCheck("other", () => HealthCheckResult.Healthy())
            .AddLeafSync();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Multiple(() =>
        {
            var entry = report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName];
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Is.EqualTo(Expected));
            Assert.That(report.Entries["other"].Status, Is.EqualTo(HealthStatus.Healthy));
        });
    }

    [Test]
    public async Task A_client_registered_after_AddLeafSync_is_found()
    {
        using var server = FakeLeafServer.Start();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHealthChecks().AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy));
        var options = server.CreateClientOptions();
        builder.Services.AddLeafSdk(o => TestClient.Copy(options, o));
        using var host = builder.Build();

        await host.StartAsync();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await host.StopAsync();

        Assert.That(report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName].Status, Is.EqualTo(HealthStatus.Healthy));
    }
}
