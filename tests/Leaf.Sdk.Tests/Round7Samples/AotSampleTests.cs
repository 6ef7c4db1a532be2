namespace Leaf.Sdk.Tests.Round7Samples;

/// <summary>The Native AOT sample's settings errors, run as a user runs it (the JIT build of the same code).</summary>
[Parallelizable(ParallelScope.All)]
public sealed class AotSampleTests
{
    // Before, an address Uri cannot parse was parsed outside the try: "Unhandled exception. System.UriFormatException",
    // a stack trace and exit code 134.
    [TestCase("http://[::1")]
    [TestCase("http://exa mple.com")]
    [TestCase("nonsense")]
    public async Task A_bad_LEAF_BASE_ADDRESS_is_one_line_and_exit_code_1(string address)
    {
        var run = await SampleProcess.RunAsync(
            SampleProcess.Aot,
            [],
            new Dictionary<string, string> { ["LEAF_TOKEN"] = "sekrit-token-r7-aot", ["LEAF_BASE_ADDRESS"] = address });

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Stderr.Trim(), Does.StartWith("error: invalid settings: ").And.Not.Contain("\n"), run.ToString());
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("Unhandled exception").And.Not.Contain("sekrit-token-r7-aot"), run.ToString());
        });
    }
}
