using System.Collections.Concurrent;
using System.Text;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>
/// Runs the auth scenarios (static token, login, renewal, refused login, 401 twice, a malformed token) with every log
/// line captured at Trace, IHttpClientFactory's own logging switched back on (the SDK leaves it off), and scans all of
/// it, every exception text and every ToString() for the password and each token that was issued or sent.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SecretsNeverLeakTests
{
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task No_password_or_token_appears_in_logs_exceptions_or_ToString(ClientKind kind)
    {
        var capture = new CapturingLoggerProvider();
        using var loggerFactory = capture.CreateFactory();
        var secrets = new ConcurrentBag<string>();
        var onTheWire = new ConcurrentBag<string>();
        var texts = new List<string>();
        var errors = new List<Exception>();
        var password = "Pw-" + Guid.NewGuid().ToString("N");
        var wrongPassword = "Wrong-" + Guid.NewGuid().ToString("N");
        secrets.Add(password);
        secrets.Add(wrongPassword);
        secrets.Add(AuthStub.Password);

        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { Password = password });
        secrets.Add(server.AccessToken);
        var malformed = "Line-" + Guid.NewGuid().ToString("N") + "\nbreak";
        secrets.Add(malformed.Split('\n')[0]);

        TestClient Create(LeafClientOptions options)
        {
            texts.Add(options.ToString());
            var client = TestClient.Create(kind, options, loggerFactory: loggerFactory,
                services: s => s.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new RecordingHandler(onTheWire))),
                client: b => b.AddDefaultLogger());
            texts.Add(Source(client).ToString()!);
            return client;
        }

        async Task Fails(TestClient client)
        {
            var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());
            errors.Add(error);
        }

        // A fixed token that works, then one that Leaf has revoked.
        using (var fixedToken = Create(server.CreateClientOptions()))
        {
            await fixedToken.Client.GetResourcesAsync();
        }

        // Login, then a 401 and a renewal.
        using (var login = Create(server.CreateLoginOptions()))
        {
            await login.Client.GetResourcesAsync();
            secrets.Add(await CurrentToken(login));
            server.RevokeTokens();
            await login.Client.GetResourcesAsync();
            secrets.Add(await CurrentToken(login));
        }

        using (var revoked = Create(server.CreateClientOptions()))
        {
            await Fails(revoked);
        }

        // A refused login.
        var wrong = server.CreateLoginOptions();
        wrong.Password = wrongPassword;
        using (var refused = Create(wrong))
        {
            await Fails(refused);
        }

        // 401 twice, from a server that echoes the rejected token in its problem body.
        using var stub = Stub.Start();
        var stubToken = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1), salt: Guid.NewGuid().ToString("N"));
        secrets.Add(stubToken);
        stub.LoginIssues(stubToken);
        stub.Resources($$"""{"title":"Unauthorized","status":401,"detail":"Token {{stubToken}} is not valid","message":"Bearer {{stubToken}}"}""", 401);
        using (var twice = Create(AuthStub.LoginOptions(stub)))
        {
            await Fails(twice);
        }

        // A token with a line break, as read from a file: configured, it is refused at start; from a token source, the
        // call fails before sending.
        var configured = Stub.Options(stub);
        configured.AccessToken = malformed;
        var refusedAtStart = Assert.Catch(() => Create(configured).Dispose());
        texts.Add(refusedAtStart.ToString());
        Assert.That(refusedAtStart, Is.TypeOf<ArgumentException>().Or.TypeOf<Microsoft.Extensions.Options.OptionsValidationException>());

        var broken = Stub.Options(stub);
        broken.AccessToken = null;
        broken.TokenSource = new RotatingTokenSource(malformed);
        using (var malformedToken = Create(broken))
        {
            await Fails(malformedToken);
        }

        foreach (var error in errors)
        {
            texts.Add(error.Message);
            texts.Add(error.ToString());
            if (error is LeafApiException leaf)
            {
                texts.Add(leaf.Problem?.ToString() ?? string.Empty);
                texts.Add(leaf.ResponseExcerpt ?? string.Empty);
            }
        }

        texts.AddRange(capture.Entries.Select(e => $"[{e.Category}] {e.Text}"));
        foreach (var token in onTheWire)
        {
            secrets.Add(token);
        }

        var all = secrets.Concat(secrets.Where(s => s.Count(c => c == '.') == 2).Select(s => s.Split('.')[2]))
            .Where(s => s.Length >= 8)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var leaks = (from secret in all
                     from text in texts
                     where text.Contains(secret, StringComparison.Ordinal)
                     select text.Replace(secret, "<<SECRET>>", StringComparison.Ordinal)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Count.EqualTo(4));
            Assert.That(errors.OfType<LeafAuthenticationException>().Count(), Is.EqualTo(4));
            Assert.That(capture.Entries, Has.Count.GreaterThan(20), "the scan saw real log output");
            Assert.That(capture.Entries.Select(e => e.Category), Has.Some.StartsWith("Leaf.Sdk"));
            if (kind == ClientKind.DependencyInjection)
            {
                Assert.That(onTheWire.Distinct().Count(), Is.GreaterThanOrEqualTo(4), "every token sent or issued was recorded on the wire");
                Assert.That(
                    capture.Entries.Where(e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) && e.Level == LogLevel.Trace).Select(e => e.Text),
                    Has.Some.Contains("Authorization"),
                    "IHttpClientFactory, switched back on with AddDefaultLogger, logged the request headers, so their redaction was really tested");
            }

            Assert.That(leaks, Is.Empty, "a secret leaked (shown as <<SECRET>>)");
        });
    }

    // An opaque token (not a JWT, so only its exact value identifies it), 58 characters long.
    private const string OpaqueToken = "opaque0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop";

    // A password with a run of spaces, a tab and a line break, which collapsing white space would change.
    private const string SpacedPassword = "Pw  Zr7\tQk\nVx-93m";

    // The server echoes the token after a run of white space, across byte 800: the excerpt used to be cut there
    // before the token was searched for, and collapsing the white space brought the piece before the cut into view.
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_token_echoed_across_byte_800_shows_no_piece_of_it(ClientKind kind)
    {
        var lead = "{\"detail\":\"rejected\"," + new string(' ', 700) + "\"echo\":\"";
        var body = lead + new string('x', 800 - Encoding.UTF8.GetByteCount(lead) - 30) + OpaqueToken + "\"}";
        using var server = Stub.Start();
        server.Resources(body, 403);
        var options = Stub.Options(server);
        options.AccessToken = OpaqueToken;
        using var client = TestClient.Create(kind, options);

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        AssertShowsNoPieceOf(error, OpaqueToken);
        Assert.That(error.ResponseExcerpt, Does.StartWith("{\"detail\":\"rejected\", \"echo\":\"xxx").And.EndWith("[redacted]\"}"));
    }

    // The body is read up to a cap (an error body's 4 KB; the parser's 512-byte prefix, of a body read whole or
    // streamed) and the echoed token starts 30 bytes before it: the text the SDK has ends with the token's start.
    [TestCase(ClientKind.Standalone, 403, 4096, 8192)]
    [TestCase(ClientKind.DependencyInjection, 403, 4096, 8192)]
    [TestCase(ClientKind.Standalone, 200, 512, 2048)]
    [TestCase(ClientKind.DependencyInjection, 200, 512, 20 * 1024)]
    public async Task A_token_echoed_across_the_cap_the_body_is_read_up_to_shows_no_piece_of_it(ClientKind kind, int status, int cap, int length)
    {
        var lead = "<html><body>rejected:";
        var upToToken = lead + new string(' ', cap - 30 - lead.Length);
        var body = upToToken + OpaqueToken + new string(' ', length - cap - OpaqueToken.Length + 30) + "</body></html>";
        using var server = Stub.Start();
        server.Resources(body, status, "text/html");
        var options = Stub.Options(server);
        options.AccessToken = OpaqueToken;
        using var client = TestClient.Create(kind, options);

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        AssertShowsNoPieceOf(error, OpaqueToken);
        Assert.That(error.ResponseExcerpt, Is.EqualTo("<html><body>rejected: [redacted]"));
    }

    // A refused login that echoes the password, as plain text (with its tab and line break) and as JSON (escaped).
    [TestCase(ClientKind.Standalone, "text/plain")]
    [TestCase(ClientKind.Standalone, "application/json")]
    [TestCase(ClientKind.DependencyInjection, "text/plain")]
    [TestCase(ClientKind.DependencyInjection, "application/json")]
    public async Task A_password_with_a_run_of_white_space_echoed_by_a_refused_login_shows_no_piece_of_it(ClientKind kind, string contentType)
    {
        var body = contentType == "text/plain"
            ? $"Bad credentials for {AuthStub.Username} with password {SpacedPassword}, try again"
            : AuthStub.Problem(400, "Bad Request", $"Bad credentials: password {SpacedPassword} is wrong");
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", contentType).WithBody(body));
        var options = AuthStub.LoginOptions(server);
        options.Password = SpacedPassword;
        using var client = TestClient.Create(kind, options);

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        AssertShowsNoPieceOf(error, SpacedPassword);
        Assert.That(error.ResponseExcerpt, Does.Contain("password [redacted]"));
        Assert.That(server.LoginRequests(), Is.EqualTo(1));
    }

    private static void AssertShowsNoPieceOf(LeafApiException error, string secret) => Assert.Multiple(() =>
    {
        Assert.That(SecretPieces.FoundIn(error.ResponseExcerpt, secret), Is.Empty, "ResponseExcerpt: " + error.ResponseExcerpt);
        Assert.That(SecretPieces.FoundIn(error.Message, secret), Is.Empty, "Message: " + error.Message);
        Assert.That(SecretPieces.FoundIn(error.ToString(), secret), Is.Empty, "ToString()");
        Assert.That(SecretPieces.FoundIn(error.Problem?.ToString(), secret), Is.Empty, "Problem");
    });

    private static ILeafTokenSource Source(TestClient client) => client.TokenSource;

    private static async Task<string> CurrentToken(TestClient client) => await Source(client).GetTokenAsync(forceRenewal: false, CancellationToken.None);
}
