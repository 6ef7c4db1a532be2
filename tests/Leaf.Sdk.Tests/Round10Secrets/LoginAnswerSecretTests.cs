using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round10Secrets;

/// <summary>
/// A login answer that is 200 but no valid JSON, with the token or the password in it where the JSON reader quotes
/// it: an unquoted value (the reader quotes an invalid literal with all that follows it) or a key (the serializer's
/// path spells the keys it is inside). The answer is the one place a token arrives, so nothing of its text may be shown.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginAnswerSecretTests
{
    private static IEnumerable<TestCaseData> Answers()
    {
        foreach (var kind in new[] { ClientKind.Standalone, ClientKind.DependencyInjection })
        {
            yield return new TestCaseData(kind, "{\"id_token\": t{token}}").SetArgDisplayNames(kind.ToString(), "token unquoted");
            yield return new TestCaseData(kind, "{\"id_token\": n{token}, \"x\": 1}").SetArgDisplayNames(kind.ToString(), "token unquoted after n");
            yield return new TestCaseData(kind, "{\"{password}\": {\"a\": tru").SetArgDisplayNames(kind.ToString(), "password as a key, body cut");
            yield return new TestCaseData(kind, "{\"{token}\": [1,}").SetArgDisplayNames(kind.ToString(), "token as a key");
            yield return new TestCaseData(kind, "{\"request\": {\"password\": \"{password}\"}, \"id_token\": f{token}").SetArgDisplayNames(kind.ToString(), "request echoed, token unquoted");
        }
    }

    [TestCaseSource(nameof(Answers))]
    public async Task A_login_answer_that_is_no_JSON_shows_neither_token_nor_password_anywhere(ClientKind kind, string shape)
    {
        var token = "sekrit-r10-tok-" + Guid.NewGuid().ToString("N");
        var password = "sekrit-r10-pw-" + Guid.NewGuid().ToString("N");
        using var channels = new SecretChannels();
        using var server = Stub.Start();
        server.Login(200, shape.Replace("{token}", token, StringComparison.Ordinal).Replace("{password}", password, StringComparison.Ordinal));
        var options = AuthStub.LoginOptions(server);
        options.Password = password;
        using var client = TestClient.Create(kind, options, loggerFactory: channels.LoggerFactory);

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());
        channels.Add(error);

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("login answer (200 OK) was not valid JSON"));
            Assert.That(error.InnerException, Is.InstanceOf<System.Text.Json.JsonException>(), "where the answer broke is still there");
            Assert.That(channels.LogEntries.Select(e => e.Category), Has.Some.EqualTo("Polly"), "the log scan saw Polly's records of the attempt");
            Assert.That(channels.Leaks(token, password), Is.Empty);
        });
    }
}
