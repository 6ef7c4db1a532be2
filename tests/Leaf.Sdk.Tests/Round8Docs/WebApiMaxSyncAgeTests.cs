using Leaf.Sdk.Tests.Round7Samples;

namespace Leaf.Sdk.Tests.Round8Docs;

/// <summary>
/// README (Samples): "a bad Leaf or SyncChecks setting stops it at start-up with one line naming the key". A bare
/// number as SyncChecks:MaxSyncAge ("6", meant as hours) was bound as that many days without a word, so /health called
/// a sync that had stopped healthy for days; the Leaf section already refuses a bare number for its time spans.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class WebApiMaxSyncAgeTests
{
    [TestCase("6")]
    [TestCase("24")]
    public async Task A_bare_number_as_MaxSyncAge_stops_the_app_with_one_line_naming_it(string value)
    {
        var run = await SampleProcess.RunAsync(
            SampleProcess.WebApi,
            ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["SyncChecks__MaxSyncAge"] = value },
            TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(
                run.Stderr.Trim(),
                Is.EqualTo($"error: invalid configuration: SyncChecks:MaxSyncAge is '{value}', a bare number, which .NET reads as {value} days: write days.hours:minutes:seconds, such as 06:00:00 for 6 hours or 1.00:00:00 for a day."),
                run.ToString());
        });
    }

    [TestCase("06:00:00")]
    [TestCase("1.00:00:00")]
    public async Task A_time_span_as_MaxSyncAge_is_taken(string value)
    {
        // A bad Leaf setting, checked after the SyncChecks section, ends the run: the line names it, not MaxSyncAge.
        var run = await SampleProcess.RunAsync(
            SampleProcess.WebApi,
            ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["SyncChecks__MaxSyncAge"] = value, ["Leaf__MaxRetries"] = "-1" },
            TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Stderr, Does.StartWith("error: invalid configuration: ").And.Contain("Leaf:MaxRetries").And.Not.Contain("MaxSyncAge"), run.ToString());
        });
    }
}
