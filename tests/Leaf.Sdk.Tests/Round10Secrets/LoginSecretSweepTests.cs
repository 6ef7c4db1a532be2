using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round10Secrets;

/// <summary>
/// Every way a login can fail, each answer echoing the password (and the username beside it) in the spellings a server
/// may use, scanned on every channel <see cref="SecretChannels"/> sees; and a login redirected elsewhere sends nothing
/// there.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginSecretSweepTests
{
    public enum Echo
    {
        InDetail,
        AsKey,
        UrlEncoded,
        Base64,
        PhpEscaped,
        PythonEscaped,
        RequestQuoted,
        InHeaders,
        Html,
    }

    private static IEnumerable<TestCaseData> Matrix() =>
        from kind in Enum.GetValues<ClientKind>()
        from status in new[] { 400, 401, 403, 500 }
        from echo in Enum.GetValues<Echo>()
        select new TestCaseData(kind, status, echo).SetArgDisplayNames(kind.ToString(), status.ToString(System.Globalization.CultureInfo.InvariantCulture), echo.ToString());

    [TestCaseSource(nameof(Matrix))]
    public async Task A_refused_login_shows_the_password_nowhere(ClientKind kind, int status, Echo echo)
    {
        var password = "sekrit-r10-login-é/" + Guid.NewGuid().ToString("N") + "+=";
        using var channels = new SecretChannels();
        using var server = Stub.Start();
        var said = $"bad password {password} for {AuthStub.Username}";
        var body = echo switch
        {
            Echo.InDetail => AuthStub.Problem(status, "Refused", said),
            Echo.AsKey => $$"""{"{{password}}":"refused","title":"Refused"}""",
            Echo.UrlEncoded => $$"""{"title":"Refused","detail":"/api/authenticate?password={{Uri.EscapeDataString(password)}}"}""",
            Echo.Base64 => $$"""{"title":"Refused","detail":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(password))}}"}""",
            Echo.PhpEscaped => $$"""{"title":"Refused","detail":"{{SecretForms.Php(said)}}"}""",
            Echo.PythonEscaped => $$"""{"title":"Refused","detail":"{{SecretForms.Python(said)}}"}""",
            Echo.RequestQuoted => $$"""{"title":"Refused","detail":"{{System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode($$"""{"username":"{{AuthStub.Username}}","password":"{{System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(password)}}"}""")}}"}""",
            Echo.InHeaders => AuthStub.Problem(status, "Refused", "no"),
            Echo.Html => $"<html><body><h1>{status}</h1><pre>{said}</pre></body></html>",
            _ => throw new ArgumentOutOfRangeException(nameof(echo)),
        };
        var response = Response.Create().WithStatusCode(status)
            .WithHeader("Content-Type", echo == Echo.Html ? "text/html" : "application/json")
            .WithBody(body);
        if (echo == Echo.InHeaders)
        {
            // A header is ASCII: the password's 'é' travels URL-encoded.
            var ascii = Uri.EscapeDataString(password);
            response = response.WithHeader("X-Echo", ascii).WithHeader("Retry-After", ascii).WithHeader("WWW-Authenticate", $"Basic realm=\"{ascii}\"");
        }

        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost()).RespondWith(response);
        var options = AuthStub.LoginOptions(server);
        options.Password = password;
        channels.Add(options.ToString());
        using var client = SecretSweepTests.Create(kind, options, channels);
        channels.Add(client.TokenSource.ToString());

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());
        channels.Add(error);

        Assert.Multiple(() =>
        {
            Assert.That((int?)error.StatusCode, Is.EqualTo(status));
            Assert.That(error, status == 500 ? Is.Not.InstanceOf<LeafAuthenticationException>() : Is.InstanceOf<LeafAuthenticationException>());
            Assert.That(channels.LogEntries, Is.Not.Empty, "the scan saw the log");
            Assert.That(channels.Leaks(password), Is.Empty);
        });
    }

    [TestCase(ClientKind.Standalone, 307, "other")]
    [TestCase(ClientKind.Standalone, 308, "other")]
    [TestCase(ClientKind.DependencyInjection, 307, "other")]
    [TestCase(ClientKind.DependencyInjection, 308, "other")]
    [TestCase(ClientKind.Standalone, 307, "https")]
    [TestCase(ClientKind.DependencyInjection, 308, "https")]
    public async Task A_login_redirected_to_another_port_or_scheme_takes_nothing_there(ClientKind kind, int status, string where)
    {
        var password = "sekrit-r10-redirect-" + Guid.NewGuid().ToString("N");
        using var channels = new SecretChannels();
        using var elsewhere = Stub.Start();
        elsewhere.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)));
        using var server = Stub.Start();

        // Another port on the same host, by plain http or by https.
        var target = where == "other" ? elsewhere.Url! : elsewhere.Url!.Replace("http://", "https://", StringComparison.Ordinal);
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", $"{target}{AuthStub.LoginPath}?password={Uri.EscapeDataString(password)}"));
        var options = AuthStub.LoginOptions(server, maxRetries: 2);
        options.Password = password;
        using var client = SecretSweepTests.Create(kind, options, channels);

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());
        channels.Add(error);

        Assert.Multiple(() =>
        {
            Assert.That((int?)error.StatusCode, Is.EqualTo(status));
            Assert.That(elsewhere.LogEntries, Is.Empty, "the login went nowhere else, with or without its body");
            Assert.That(server.LoginRequests(), Is.EqualTo(1), "nor again to Leaf");
            Assert.That(channels.Leaks(password), Is.Empty);
        });
    }
}
