using static Leaf.Sdk.Tests.TestSupport.SyncFixture;

namespace Leaf.Sdk.Tests.Round7Checks;

/// <summary>SyncReport.ToString: what a log line or console shows of a report (before: "Leaf.Sdk.SyncReport").</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SyncReportTextTests
{
    [Test]
    public void A_report_prints_who_when_the_totals_and_each_finding_most_serious_first()
    {
        var report = CheckUser(Response(Summary(Provider.Sentera, null, 2, 15), Summary(Provider.Raven, 2, 2, 44, TimeSpan.FromDays(3)), Summary(Provider.Trimble, 1, 1, 0)));

        var lines = report.ToString().Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo($"Sync check of Leaf user {User} at 2026-11-26 12:00 UTC: 1 error, 1 warning, 1 info."));
            Assert.That(lines.Skip(1), Is.EqualTo(report.Findings.Select(f => f.ToString())));
            Assert.That(lines[1], Does.StartWith("Error NoFields Trimble: "));
        });
    }

    [Test]
    public void The_totals_agree_with_the_findings()
    {
        var report = CheckAll(Response(Summary(Provider.Trimble, 1, 1, 0), Summary(Provider.JohnDeere, null, null, 40, user: OtherUser)));

        var errors = report.Findings.Count(f => f.Severity == SyncFindingSeverity.Error);
        var warnings = report.Findings.Count(f => f.Severity == SyncFindingSeverity.Warning);
        Assert.That(report.ToString(), Does.StartWith($"Sync check of every Leaf user in the response at 2026-11-26 12:00 UTC: {errors} error, {warnings} warnings, 0 info.\n"));
        Assert.That((errors, warnings), Is.EqualTo((1, 2)));
    }

    [Test]
    public void A_clean_report_says_so_on_one_line()
    {
        var report = CheckUser(Response(Summary(Provider.JohnDeere, 3, 7, 142)));

        Assert.That(report.ToString(), Is.EqualTo($"Sync check of Leaf user {User} at 2026-11-26 12:00 UTC: no findings."));
    }
}
