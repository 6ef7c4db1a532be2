using Leaf.Sdk.Testing;
using LeafVerifyConnection;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Samples;

/// <summary>The verify-connection sample's pieces: durations as typed on a command line, and the printed report.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class VerifyConnectionSampleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [TestCase("24h", 24 * 60)]
    [TestCase("90m", 90)]
    [TestCase("7d", 7 * 24 * 60)]
    [TestCase("1.5h", 90)]
    [TestCase("01:30:00", 90)]
    public void Durations_parse(string text, int minutes)
    {
        Assert.That(Duration.TryParse(text), Is.EqualTo(TimeSpan.FromMinutes(minutes)));
    }

    [TestCase("")]
    [TestCase("h")]
    [TestCase("0h")]
    [TestCase("-3h")]
    [TestCase("3w")]
    [TestCase("soon")]
    [TestCase("90")]
    [TestCase("30000000d")]
    [TestCase("1e300s")]
    [TestCase("0.00000001s")]
    [TestCase("10675199.03:00:00")]
    public void Bad_durations_are_refused(string text)
    {
        Assert.That(Duration.TryParse(text), Is.Null);
    }

    [Test]
    public void Report_groups_findings_by_severity_and_ends_with_the_verdict()
    {
        var response = new SyncSummaryResponse { Summaries = DemoData.Create(Now) };
        var expectations = new SyncExpectations { ExpectedProviders = { Provider.Raven }, MinimumFields = 10 };
        var report = Leaf.Sdk.SyncChecks.CheckUser(response, DemoUsers.NeedsAttention, expectations, new FakeTimeProvider(Now));
        using var output = new StringWriter();

        Report.Print(output, report, expectations);

        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var errors = Array.FindIndex(lines, l => l.StartsWith("Errors (", StringComparison.Ordinal));
        var warnings = Array.FindIndex(lines, l => l.StartsWith("Warnings (", StringComparison.Ordinal));
        var info = Array.FindIndex(lines, l => l.StartsWith("Info (", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.Contain("expected providers Raven").And.Contain("at least 10 fields"));
            Assert.That(lines[errors], Is.EqualTo("Errors (2)"));
            Assert.That(errors, Is.LessThan(warnings));
            Assert.That(warnings, Is.LessThan(info));
            Assert.That(lines.Skip(errors + 1).Take(2), Has.All.StartWith("x ["));
            Assert.That(lines, Has.Some.StartWith("x [ProviderMissing Raven]"));
            Assert.That(lines.Last(l => l.Length > 0), Does.StartWith("Result: ERRORS (exit 2)"));
        });
    }

    [Test]
    public void Report_of_a_healthy_user_has_no_groups()
    {
        var response = new SyncSummaryResponse { Summaries = DemoData.Create(Now) };
        var report = Leaf.Sdk.SyncChecks.CheckUser(response, DemoUsers.Healthy, null, new FakeTimeProvider(Now));
        using var output = new StringWriter();

        Report.Print(output, report, new SyncExpectations());

        Assert.That(output.ToString(), Does.Not.Contain("Errors (").And.Not.Contain("Warnings (").And.Contain("Result: OK (exit 0)"));
    }
}
