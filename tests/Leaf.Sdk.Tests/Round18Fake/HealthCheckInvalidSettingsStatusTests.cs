using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round18Fake;

/// <summary>
/// Where no host checked the settings at start-up, <c>AddLeafSync</c>'s docs promise the check "reports them as its
/// failure": the registration's failure status, as for any other failure. Mutant I1 (round 18, by hand) reported
/// Unhealthy whatever the registration asked for, and survived every test, which all left the status at its default.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HealthCheckInvalidSettingsStatusTests
{
    [TestCase(HealthStatus.Degraded)]
    [TestCase(HealthStatus.Healthy)]
    public async Task Settings_found_wrong_when_the_check_runs_report_the_registration_s_failure_status(HealthStatus failureStatus)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IIntegrationsClient>(new NeverCalledClient());
        services.AddHealthChecks().AddLeafSync(o => o.LeafUserIds.Add(Guid.Empty), failureStatus: failureStatus);
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(failureStatus));
            Assert.That(entry.Exception, Is.TypeOf<OptionsValidationException>());
            Assert.That(entry.Description, Does.Contain("Guid.Empty"));
        });
    }

    [Test]
    public async Task A_missing_client_found_when_the_check_runs_reports_the_registration_s_failure_status()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy), failureStatus: HealthStatus.Degraded);
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(entry.Description, Does.Contain("AddLeafSdk"));
        });
    }

    private sealed class NeverCalledClient : IIntegrationsClient
    {
        public Task<SyncSummaryResponse> GetResourcesAsync(Provider? provider = null, Guid? leafUserId = null, CancellationToken cancellationToken = default) =>
            throw new AssertionException("settings found wrong must not reach Leaf");
    }
}
