using Leaf.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.SyncChecks;

/// <summary>The demo data shows every finding, so the samples do.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class DemoDataFindingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Healthy_user_has_no_findings()
    {
        var report = Leaf.Sdk.SyncChecks.CheckUser(Demo(), DemoUsers.Healthy, Expect(Provider.JohnDeere, Provider.ClimateFieldView, Provider.CNHIFieldOps, Provider.Trimble), new FakeTimeProvider(Now));

        Assert.That(report.Findings, Is.Empty);
    }

    [Test]
    public void Stale_user_has_one_stale_sync()
    {
        var report = Leaf.Sdk.SyncChecks.CheckUser(Demo(), DemoUsers.Stale, null, new FakeTimeProvider(Now));

        Assert.That(report.Findings.Select(f => (f.Code, f.Provider)), Is.EqualTo(new[] { (SyncFindingCode.SyncStale, Provider.Raven) }));
    }

    [Test]
    public void Needs_attention_user_shows_every_other_finding()
    {
        var report = Leaf.Sdk.SyncChecks.CheckUser(Demo(), DemoUsers.NeedsAttention, null, new FakeTimeProvider(Now));

        Assert.That(report.Findings.Select(f => f.Code), Is.EquivalentTo(new[]
        {
            SyncFindingCode.NoFields,
            SyncFindingCode.ExposedLevelMissing,
            SyncFindingCode.ExposedLevelEmpty,
            SyncFindingCode.UnexpectedLevelCount,
            SyncFindingCode.SyncTimeMissing,
            SyncFindingCode.UnknownProvider,
        }));
        Assert.That(report.HasErrors, Is.True);
    }

    private static SyncExpectations Expect(params Provider[] providers)
    {
        var expectations = new SyncExpectations();
        foreach (var provider in providers)
        {
            expectations.ExpectedProviders.Add(provider);
        }

        return expectations;
    }

    private static SyncSummaryResponse Demo() => new() { Message = "SUCCESS", Summaries = DemoData.Create(Now) };
}
