using Leaf.Sdk.Tests.Round7Samples;

namespace Leaf.Sdk.Tests.Round8Docs;

/// <summary>
/// The console samples announce the address they call ("Calling Leaf at ...") before the client checks it. An address
/// with a password (user:password@host) or a token in its query, which the SDK refuses and never shows, was printed
/// whole on stdout first.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SampleAddressTests
{
    private const string Password = "pw-r8-sample";
    private const string QueryToken = "tok-r8-query";

    [TestCase(SampleProcess.SyncSummary, new string[0], 1)]
    [TestCase(SampleProcess.VerifyConnection, new[] { "--user", "11111111-1111-1111-1111-111111111111" }, 64)]
    public async Task A_password_or_query_in_LEAF_BASE_ADDRESS_is_not_printed(string sample, string[] args, int exitCode)
    {
        var run = await SampleProcess.RunAsync(
            sample,
            args,
            new Dictionary<string, string>
            {
                ["LEAF_TOKEN"] = "sekrit-token-r8-sample",
                ["LEAF_BASE_ADDRESS"] = $"https://leaf-user:{Password}@example.invalid/leaf?access_token={QueryToken}",
            });

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
            Assert.That(run.Stdout, Does.StartWith("Calling Leaf at https://example.invalid/leaf"), run.ToString());
            Assert.That(run.Stderr, Does.Contain("carries a user name or password"), run.ToString());
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain(Password).And.Not.Contain(QueryToken).And.Not.Contain("sekrit-token-r8-sample"), run.ToString());
        });
    }

    // The Native AOT sample's own check, for an address Uri cannot parse at all, quoted it whole.
    [TestCase("http://leaf-user:" + Password + "@[::1")]
    [TestCase("https://leaf-user:" + Password + "@exa mple.com/?access_token=" + QueryToken)]
    public async Task The_aot_sample_does_not_print_an_address_it_cannot_parse(string address)
    {
        var run = await SampleProcess.RunAsync(
            SampleProcess.Aot,
            [],
            new Dictionary<string, string> { ["LEAF_TOKEN"] = "sekrit-token-r8-sample", ["LEAF_BASE_ADDRESS"] = address });

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Stderr.Trim(), Is.EqualTo("error: invalid settings: LEAF_BASE_ADDRESS is not an address such as https://api.withleaf.io."), run.ToString());
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain(Password).And.Not.Contain(QueryToken), run.ToString());
        });
    }

    [TestCase(SampleProcess.SyncSummary, new string[0], 1)]
    [TestCase(SampleProcess.VerifyConnection, new[] { "--user", "11111111-1111-1111-1111-111111111111" }, 64)]
    public async Task An_ordinary_address_is_still_shown_as_given(string sample, string[] args, int exitCode)
    {
        // Plain http to a host that is not loopback: refused before any request, so nothing is called.
        var run = await SampleProcess.RunAsync(
            sample,
            args,
            new Dictionary<string, string> { ["LEAF_TOKEN"] = "sekrit-token-r8-sample", ["LEAF_BASE_ADDRESS"] = "http://leaf.example.invalid:8080/api-root/" });

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
            Assert.That(run.Stdout.Trim(), Is.EqualTo("Calling Leaf at http://leaf.example.invalid:8080/api-root/"), run.ToString());
        });
    }
}
