using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaf.Sdk.Tests.Round15Lead;

/// <summary>
/// The health check's data says what was checked, next to what was found: a health UI showed "2 warnings" with no way
/// to tell which expectations produced them.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HealthCheckExpectationsDataTests
{
    [TestCase(false, HealthStatus.Healthy)]
    [TestCase(true, HealthStatus.Unhealthy)]
    public async Task The_result_s_data_holds_the_expectations_as_text(bool expectMissingProvider, HealthStatus status)
    {
        using var server = FakeLeafServer.Start();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.AccessToken = server.AccessToken;
        });
        services.AddHealthChecks().AddLeafSync(o =>
        {
            o.LeafUserIds.Add(DemoUsers.Healthy);
            o.Expectations.MaxSyncAge = TimeSpan.FromDays(30);
            if (expectMissingProvider)
            {
                o.Expectations.ExpectedProviders.Add(Provider.Raven);
            }
        });
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(status), entry.Description);
            Assert.That(
                entry.Data["expectations"],
                Is.EqualTo(expectMissingProvider ? "Expect a sync within 30 days; providers Raven" : "Expect a sync within 30 days"));
        });
    }
}
