using Leaf.Sdk.Diagnostics;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round10Secrets;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round16Mutants;

/// <summary>
/// A JSON "password" (or token) value is removed from any text the SDK shows, whether or not it is a secret the SDK
/// knows: a password shorter than eight characters is not searched for by value (too likely in ordinary text), so
/// only the field's pattern keeps it out. A value with an escaped quote in it (<c>"pa\"ss1"</c>, as every JSON encoder
/// writes a quote) was removed only up to that quote, and the rest of it was shown.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class EscapedPasswordFieldTests
{
    [TestCase("{\"password\":\"pa\\\"ss1\"}", "{\"password\":\"[redacted]\"}")]
    [TestCase("{\"password\" : \"a\\\\\\\"zq9\\\"\", \"x\":1}", "{\"password\" : \"[redacted]\", \"x\":1}")]
    [TestCase("{\"id_token\":\"ab\\\"cd\\u0022ef\"}", "{\"id_token\":\"[redacted]\"}")]
    [TestCase("{\"password\":\"a\\\\\",\"user\":\"bob\"}", "{\"password\":\"[redacted]\",\"user\":\"bob\"}")]
    public void A_field_value_with_escapes_is_removed_whole_and_only_it(string text, string expected)
    {
        Assert.That(Redaction.Scrub(text), Is.EqualTo(expected));
    }

    // Each name the field pattern knows, in any case, with a value the SDK never sent (so no search by value finds it):
    // a gateway's rotated token, a short password. A field whose name only begins with one (token_type) is left alone.
    [TestCase("password")]
    [TestCase("id_token")]
    [TestCase("access_token")]
    [TestCase("token")]
    [TestCase("Access_Token")]
    public void Each_secret_field_name_has_its_value_removed_whatever_the_value(string field)
    {
        var text = $"{{\"{field}\" : \"opaque7\",\"token_type\":\"Bearer\"}}";

        Assert.That(Redaction.Scrub(text), Is.EqualTo($"{{\"{field}\" : \"[redacted]\",\"token_type\":\"Bearer\"}}"));
    }

    [Test]
    public void A_field_value_cut_after_a_backslash_is_removed_to_the_end()
    {
        Assert.That(Redaction.ScrubCutShort("{\"password\":\"pa\\\"s\\"), Is.EqualTo("{\"password\":\"[redacted]"));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_refused_login_that_echoes_a_short_password_with_a_quote_shows_none_of_it(ClientKind kind)
    {
        // Seven characters: below the length the SDK searches for by value.
        const string password = "zq\"x7Wk";
        using var channels = new SecretChannels();
        using var server = Stub.Start();
        server.Login(401, "{\"title\":\"Unauthorized\",\"status\":401,\"request\":{\"username\":\"" + AuthStub.Username + "\",\"password\":\"zq\\\"x7Wk\"}}");
        var options = AuthStub.LoginOptions(server);
        options.Password = password;
        using var client = TestClient.Create(kind, options, loggerFactory: channels.LoggerFactory);

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());
        channels.Add(error);

        Assert.Multiple(() =>
        {
            Assert.That(error.ResponseExcerpt, Does.Contain("\"password\":\"[redacted]\"}}"));
            Assert.That(channels.Texts().Where(t => t.Contains("x7Wk", StringComparison.Ordinal)), Is.Empty);
        });
    }
}
