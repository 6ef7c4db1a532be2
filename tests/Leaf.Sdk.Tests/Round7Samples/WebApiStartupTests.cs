namespace Leaf.Sdk.Tests.Round7Samples;

/// <summary>
/// The web API sample refuses a configuration mistake at start-up, in one line that names the setting. Before, a
/// SyncChecks list entry it could not read ("abc" as a user id, "Deere" as a provider) was dropped without a word (so
/// /health checked every user, or expected fewer providers), Unknown or Guid.Empty kept /health Unhealthy for as long as
/// the app ran, and the rest crashed it with "Unhandled exception", a stack trace and exit code 134.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class WebApiStartupTests
{
    [TestCase("SyncChecks__HealthLeafUserIds__0", "abc", "SyncChecks:HealthLeafUserIds:0")]
    [TestCase("SyncChecks__HealthLeafUserIds__0", "00000000-0000-0000-0000-000000000000", "SyncChecks:HealthLeafUserIds:0")]
    [TestCase("SyncChecks__ExpectedProviders__0", "Deere", "SyncChecks:ExpectedProviders:0")]
    [TestCase("SyncChecks__ExpectedProviders__0", "Unknown", "SyncChecks:ExpectedProviders:0")]
    [TestCase("SyncChecks__ExpectedProviders__0", "99", "SyncChecks:ExpectedProviders:0")]
    [TestCase("SyncChecks__MinimumFields", "-3", "SyncChecks:MinimumFields")]
    [TestCase("SyncChecks__MaxSyncAge", "banana", "SyncChecks:MaxSyncAge")]
    [TestCase("SyncChecks__MaxSyncAge", "-01:00:00", "SyncChecks:MaxSyncAge")]
    [TestCase("Leaf__MaxRetries", "-1", "Leaf:MaxRetries")]
    public async Task A_bad_setting_stops_the_app_with_one_line_naming_it(string variable, string value, string key)
    {
        var run = await SampleProcess.RunAsync(SampleProcess.WebApi, ["--urls", "http://127.0.0.1:0"], new Dictionary<string, string> { [variable] = value }, TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Stderr.Trim(), Does.StartWith("error: invalid configuration: ").And.Contain(key).And.Not.Contain("\n"), run.ToString());
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("Unhandled exception").And.Not.Contain("   at "), run.ToString());
        });
    }

    [Test]
    public async Task A_refused_base_address_names_it_and_never_prints_the_token()
    {
        const string token = "sekrit-token-r7-0123456789";

        var run = await SampleProcess.RunAsync(
            SampleProcess.WebApi,
            ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["Leaf__AccessToken"] = token, ["Leaf__BaseAddress"] = "http://leaf.example.com" });

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Stderr, Does.StartWith("error: invalid configuration: Leaf:BaseAddress"), run.ToString());
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain(token).And.Not.Contain("Unhandled exception"), run.ToString());
        });
    }
}
