using System.Collections.Concurrent;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    private static ILeafTokenSource Source(TestClient client) => ((IntegrationsClient)client.Client).TokenSource;

    private static async Task<string> CurrentToken(TestClient client) => await Source(client).GetTokenAsync(forceRenewal: false, CancellationToken.None);
}
