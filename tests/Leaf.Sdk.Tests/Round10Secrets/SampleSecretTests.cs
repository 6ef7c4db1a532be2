using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round7Samples;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round10Secrets;

/// <summary>
/// The console samples, run as a support engineer runs them, against a Leaf that refuses them and echoes the token or
/// the password in every spelling the SDK redacts: what reaches the terminal (stdout and stderr) shows neither.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SampleSecretTests
{
    public enum Failure
    {
        TokenRefused,
        LoginRefused,
        LoginAnswerBroken,
        HtmlWithToken,
    }

    private static IEnumerable<TestCaseData> Runs()
    {
        foreach (var failure in Enum.GetValues<Failure>())
        {
            yield return new TestCaseData(SampleProcess.SyncSummary, Array.Empty<string>(), failure).SetArgDisplayNames(SampleProcess.SyncSummary, failure.ToString());
            yield return new TestCaseData(SampleProcess.VerifyConnection, new[] { "--user", "11111111-1111-1111-1111-111111111111" }, failure).SetArgDisplayNames(SampleProcess.VerifyConnection, failure.ToString());
        }

        yield return new TestCaseData(SampleProcess.Aot, Array.Empty<string>(), Failure.TokenRefused).SetArgDisplayNames(SampleProcess.Aot, nameof(Failure.TokenRefused));
    }

    [TestCaseSource(nameof(Runs))]
    public async Task A_failing_sample_prints_neither_token_nor_password(string sample, string[] args, Failure failure)
    {
        var token = "sekrit-r10-sample-tok/" + Guid.NewGuid().ToString("N") + "+=";
        var password = "sekrit-r10-sample-pw-é/" + Guid.NewGuid().ToString("N");
        var usesToken = failure is Failure.TokenRefused or Failure.HtmlWithToken;

        // Only what the sample was given can be expected to be kept back: the token, or the password.
        var secret = usesToken ? token : password;
        var every = $"{secret} {Uri.EscapeDataString(secret)} {SecretForms.Php(secret)} {SecretForms.Python(secret)}";
        using var server = Stub.Start();
        var environment = new Dictionary<string, string> { ["LEAF_BASE_ADDRESS"] = server.Url! };
        if (usesToken)
        {
            environment["LEAF_TOKEN"] = token;
        }
        else
        {
            environment["LEAF_USERNAME"] = AuthStub.Username;
            environment["LEAF_PASSWORD"] = password;
        }

        switch (failure)
        {
            case Failure.TokenRefused:
                server.Resources(AuthStub.Problem(401, "Unauthorized", "rejected " + every), 401);
                break;
            case Failure.HtmlWithToken:
                server.Resources($"<html><body>{token}</body></html>", 200, "text/html");
                break;
            case Failure.LoginRefused:
                server.Login(401, AuthStub.Problem(401, "Unauthorized", "bad credentials " + every));
                break;
            case Failure.LoginAnswerBroken:
                server.Login(200, $$"""{"{{password}}": 1, "id_token": t{{token}}""");
                break;
        }

        var run = await SampleProcess.RunAsync(sample, args, environment);
        var shown = run.Stdout + run.Stderr;

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
            Assert.That(run.Stderr, Does.StartWith("error: "), run.ToString());
            // The broken login answer held the token the login would have issued, unquoted.
            foreach (var kept in failure == Failure.LoginAnswerBroken ? [token, password] : new[] { secret })
            {
                Assert.That(SecretForms.Of(kept).Where(form => shown.Contains(form, StringComparison.Ordinal)), Is.Empty, run.ToString());
            }
        });
    }
}
