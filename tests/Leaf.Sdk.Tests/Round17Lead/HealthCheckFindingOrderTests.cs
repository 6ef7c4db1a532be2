using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaf.Sdk.Tests.Round17Lead;

/// <summary>
/// The health check's findings come most serious first, across users, as its data and description promise: a probe
/// dashboard that shows the description's "First:" finding shows the error, not the warning of a user checked before.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HealthCheckFindingOrderTests
{
    [Test]
    public async Task Findings_of_several_users_come_most_serious_first()
    {
        using var server = FakeLeafServer.Start();
        var services = new ServiceCollection();
        services.AddLogging();
        var options = server.CreateClientOptions();
        services.AddLeafSdk(o => TestClient.Copy(options, o));

        // The user with a warning is checked first, the one with an error second.
        services.AddHealthChecks().AddLeafSync(o =>
        {
            o.LeafUserIds.Add(DemoUsers.Stale);
            o.LeafUserIds.Add(DemoUsers.NeedsAttention);
        });
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries.Values.Single();
        var findings = (IReadOnlyList<SyncFinding>)entry.Data["findings"];

        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => f.Severity), Does.Contain(SyncFindingSeverity.Warning).And.Contain(SyncFindingSeverity.Error));
            Assert.That(findings.Select(f => f.Severity), Is.Ordered.Descending, "most serious first");
            Assert.That(entry.Description, Does.Contain($"First: {findings[0]}"));
            Assert.That(findings[0].Severity, Is.EqualTo(SyncFindingSeverity.Error));
        });
    }
}
