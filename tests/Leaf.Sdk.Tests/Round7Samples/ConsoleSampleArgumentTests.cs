namespace Leaf.Sdk.Tests.Round7Samples;

/// <summary>The console samples' arguments, run as a user runs them: exit codes and the one line on stderr.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ConsoleSampleArgumentTests
{
    private const string Healthy = "5b7d1f3e-2c4a-4e8b-9f10-1a2b3c4d5e6f";
    private const string Stale = "8c2e4a6b-1d3f-4b5a-8e7c-9d0e1f2a3b4c";

    // Before, the second value replaced the first without a word: `--provider JohnDeere --provider Trimble` showed
    // Trimble only, and `--user A --user B` checked B only.
    [TestCase(SampleProcess.SyncSummary, 1, "--provider", "JohnDeere", "--provider", "Trimble")]
    [TestCase(SampleProcess.SyncSummary, 1, "--user", Healthy, "--json", "--user", Stale)]
    [TestCase(SampleProcess.VerifyConnection, 64, "--user", Healthy, "--user", Stale)]
    [TestCase(SampleProcess.VerifyConnection, 64, "--max-age", "24h", "--max-age", "1h")]
    [TestCase(SampleProcess.VerifyConnection, 64, "--min-fields", "1", "--min-fields", "2")]
    public async Task An_option_given_twice_is_refused(string sample, int exitCode, params string[] args)
    {
        var run = await SampleProcess.RunAsync(sample, args);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
            Assert.That(run.Stderr.Trim(), Does.StartWith("error: --").And.Contain("given twice").And.Not.Contain("\n"), run.ToString());
            Assert.That(run.Stdout, Is.Empty, "nothing ran: no fake server was started");
        });
    }

    [Test]
    public async Task Expect_may_be_given_more_than_once()
    {
        var run = await SampleProcess.RunAsync(SampleProcess.VerifyConnection, ["--user", Healthy, "--expect", "JohnDeere", "--expect", "Trimble"]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("expected providers JohnDeere, Trimble"));
    }

    [Test]
    public async Task Sync_summary_help_states_its_exit_codes()
    {
        var run = await SampleProcess.RunAsync(SampleProcess.SyncSummary, ["--help"]);

        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(run.Stdout, Does.Contain("Exit code: 0 shown, 1 bad arguments or settings, or Leaf could not be asked")
            .And.Contain("130 interrupted (Ctrl+C)"), "SyncSummaryInterruptTests: Ctrl+C exits 130");
    }
}
