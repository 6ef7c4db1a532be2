using System.Net;
using System.Text.Json;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round8Requests;

/// <summary>The login request as it leaves the machine: where it goes, its headers, its body, byte for byte.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginRequestTests
{
    // Every character JSON must escape or a naive encoder mangles: quotes, a backslash, non-ASCII, a line separator,
    // an astral character, and what HTML-safe encoders escape.
    private const string AwkwardPassword = "pä\"ss\\wörd<>&'+\u2028😀 \t";
    private const string AwkwardUsername = "ü\"\\ser@agtech.example";

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task The_login_body_has_a_length_so_a_gateway_that_refuses_chunked_uploads_lets_it_through(ClientKind kind)
    {
        // nginx before 1.3.9, HTTP/1.0 proxies and some WAFs answer a request body without Content-Length with
        // 411 Length Required; the login then failed before it reached Leaf.
        using var server = LoginServer(refuseChunked: true);
        using var client = TestClient.Create(kind, LoginOptions(server, "/leaf"));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
        var login = server.Requests.Single(r => r.Method == "POST");
        Assert.That(login.All("Transfer-Encoding"), Is.Empty);
        Assert.That(login.One("Content-Length"), Is.EqualTo(login.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task The_login_sends_what_Leaf_documents_and_no_bearer_token(ClientKind kind)
    {
        using var server = LoginServer(refuseChunked: false);
        using var client = TestClient.Create(kind, LoginOptions(server, "/leaf/"));

        await client.Client.GetResourcesAsync();

        var login = server.Requests.Single(r => r.Method == "POST");
        Assert.That(login.RequestLine, Is.EqualTo("POST /leaf/api/authenticate HTTP/1.1"));
        Assert.That(login.All("Authorization"), Is.Empty);
        Assert.That(login.All("Expect"), Is.Empty, "no 100-continue round trip before a small body");
        Assert.That(login.One("Content-Type"), Is.EqualTo("application/json; charset=utf-8"));
        Assert.That(login.One("User-Agent"), Does.StartWith("Leaf.Sdk/"));
        Assert.That(login.One("Host"), Is.EqualTo($"127.0.0.1:{server.Port}"));

        // Valid UTF-8 JSON that gives back exactly the credentials, and rememberMe as the string Leaf expects.
        using var body = JsonDocument.Parse(login.Body);
        Assert.That(body.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "username", "password", "rememberMe" }));
        Assert.That(body.RootElement.GetProperty("username").GetString(), Is.EqualTo(AwkwardUsername));
        Assert.That(body.RootElement.GetProperty("password").GetString(), Is.EqualTo(AwkwardPassword));
        Assert.That(body.RootElement.GetProperty("rememberMe").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(body.RootElement.GetProperty("rememberMe").GetString(), Is.EqualTo("true"));
    }

    [Test]
    public async Task A_retried_login_sends_the_same_complete_body_each_time()
    {
        var jwt = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2));
        var logins = 0;
        using var server = new WireRecorder(r => r.Method == "POST"
            ? Interlocked.Increment(ref logins) == 1
                ? WireRecorder.Json("{}", 503, "Service Unavailable")
                : WireRecorder.Json($$"""{"id_token":"{{jwt}}"}""")
            : WireRecorder.Json(LeafJson.DocumentedExample));
        var options = LoginOptions(server, "");
        options.MaxRetries = 2;
        using var client = TestClient.Create(ClientKind.Standalone, options);

        await client.Client.GetResourcesAsync();

        var posts = server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.That(posts, Has.Count.EqualTo(2));
        Assert.That(posts[1].Body, Is.EqualTo(posts[0].Body).And.Not.Empty);
        Assert.That(posts[1].One("Content-Length"), Is.EqualTo(posts[0].One("Content-Length")));
    }

    [Test]
    public async Task The_standalone_client_logs_in_and_calls_over_one_connection()
    {
        using var server = LoginServer(refuseChunked: false);
        using var client = TestClient.Create(ClientKind.Standalone, LoginOptions(server, ""));

        await client.Client.GetResourcesAsync();
        await client.Client.GetResourcesAsync(Provider.JohnDeere);

        Assert.That(server.Requests, Has.Count.EqualTo(3));
        Assert.That(server.Connections, Is.EqualTo(1));
    }

    internal static LeafClientOptions LoginOptions(WireRecorder server, string path) => new()
    {
        BaseAddress = new Uri(server.Url + path.TrimStart('/')),
        Username = AwkwardUsername,
        Password = AwkwardPassword,
        MaxRetries = 0,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        EnableCircuitBreaker = false,
    };

    private static WireRecorder LoginServer(bool refuseChunked)
    {
        var jwt = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2));
        return new WireRecorder(r => (r.Method, r.One("Content-Length")) switch
        {
            ("POST", null) when refuseChunked => WireRecorder.Json("<html>411 Length Required</html>", 411, "Length Required"),
            ("POST", _) => WireRecorder.Json($$"""{"id_token":"{{jwt}}"}"""),
            _ => WireRecorder.Json(LeafJson.DocumentedExample),
        });
    }
}
