using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Leaf.Sdk.Tests.Round10Secrets;

/// <summary>How the client gets its token.</summary>
public enum Auth
{
    StaticToken,
    TokenSource,
    Login,
}

/// <summary>
/// The sweep: every way of getting a token × both clients × every outcome of the Sync Summary call, each outcome's
/// answer echoing the token and the password in the spellings a server may use (as they are, in a problem's detail,
/// as a JSON key, URL-encoded, JSON-escaped, base64, in a header, in a redirect's Location). Every channel is scanned
/// (<see cref="SecretChannels"/>): the exception's whole chain, every log record at Trace (IHttpClientFactory's logging
/// switched back on for the DI client), spans, metrics, and the ToString() of the options and the token source.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SecretSweepTests
{
    public enum Outcome
    {
        Success,
        Status400,
        Status401,
        Status403,
        Status404,
        Status429,
        Status500,
        Status503,
        EchoedAsKey,
        EchoedUrlEncoded,
        EchoedJsonEscaped,
        EchoedBase64,
        InHeaders,
        RedirectElsewhere,
        Malformed200,
        Html200,
        AttemptTimeout,
        ConnectionBroken,
        Cancelled,
        CircuitOpen,
    }

    private static IEnumerable<TestCaseData> Matrix() =>
        from auth in Enum.GetValues<Auth>()
        from kind in Enum.GetValues<ClientKind>()
        from outcome in Enum.GetValues<Outcome>()
        select new TestCaseData(auth, kind, outcome).SetArgDisplayNames(auth.ToString(), kind.ToString(), outcome.ToString());

    [TestCaseSource(nameof(Matrix))]
    public async Task No_channel_shows_the_token_or_the_password(Auth auth, ClientKind kind, Outcome outcome)
    {
        var secrets = new Secrets(auth == Auth.Login);
        using var channels = new SecretChannels();
        using var server = Stub.Start();
        using var elsewhere = Stub.Start();
        var options = Options(auth, server, secrets);
        options.AttemptTimeout = outcome == Outcome.AttemptTimeout ? TimeSpan.FromMilliseconds(300) : options.AttemptTimeout;
        options.MaxRetries = outcome is Outcome.Status503 or Outcome.AttemptTimeout or Outcome.ConnectionBroken ? 1 : 0;
        options.EnableCircuitBreaker = outcome == Outcome.CircuitOpen;
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).RespondWith(Answer(outcome, secrets, elsewhere));
        channels.Add(options.ToString());

        using var client = Create(kind, options, channels);
        channels.Add(client.TokenSource.ToString());
        channels.Add(client.Client.ToString());
        Exception? error = null;
        try
        {
            if (outcome == Outcome.CircuitOpen)
            {
                for (var i = 0; i < 10; i++)
                {
                    channels.Add(await Catch(() => client.Client.GetResourcesAsync()));
                }
            }

            using var cancel = new CancellationTokenSource();
            if (outcome == Outcome.Cancelled)
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
            }

            var response = await client.Client.GetResourcesAsync(cancellationToken: cancel.Token);
            channels.Add(response.ToString());
            channels.Add(string.Join(" ", response.Summaries));
        }
        catch (Exception ex)
        {
            error = ex;
            channels.Add(ex);
        }

        foreach (var sent in server.ResourceAuthorizations())
        {
            secrets.Sent(sent);
        }

        Assert.Multiple(() =>
        {
            Assert.That(error is null, Is.EqualTo(outcome == Outcome.Success), error?.ToString());
            if (outcome is not (Outcome.Cancelled or Outcome.AttemptTimeout))
            {
                // (WireMock lists a request once it has answered it: not yet, for an answer still being delayed.)
                Assert.That(secrets.Tokens, Is.Not.Empty, "a token went out, so there was one to leak");
            }

            Assert.That(elsewhere.LogEntries, Is.Empty, "nothing went to another host");
            Assert.That(channels.LogEntries, Is.Not.Empty, "the scan saw the log");
            Assert.That(channels.Leaks(secrets.All), Is.Empty);
        });
    }

    private static async Task<Exception?> Catch(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    internal static TestClient Create(ClientKind kind, LeafClientOptions options, SecretChannels channels) =>
        TestClient.Create(kind, options, loggerFactory: channels.LoggerFactory, client: builder =>
        {
            // IHttpClientFactory's request logging, which the SDK leaves off, back on for both clients.
            builder.AddDefaultLogger();
            builder.Services.AddHttpClient(LeafServiceCollectionExtensions.LoginHttpClientName).AddDefaultLogger();
        });

    internal static LeafClientOptions Options(Auth auth, WireMockServer server, Secrets secrets)
    {
        var options = Stub.Options(server);
        options.AccessToken = null;
        switch (auth)
        {
            case Auth.StaticToken:
                options.AccessToken = secrets.Token;
                break;
            case Auth.TokenSource:
                options.TokenSource = new RotatingTokenSource(secrets.Token);
                break;
            case Auth.Login:
                options.Username = AuthStub.Username;
                options.Password = secrets.Password!;
                server.LoginIssues(secrets.Token);
                break;
        }

        return options;
    }

    private static IResponseBuilder Answer(Outcome outcome, Secrets s, WireMockServer elsewhere)
    {
        var echo = $"token {s.Token} password {s.Password}";
        IResponseBuilder Json(int status, string body) =>
            Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        IResponseBuilder Problem(int status) => Json(status, AuthStub.Problem(status, "Refused " + echo, "detail " + echo));

        return outcome switch
        {
            Outcome.Success => Json(200, LeafJson.DocumentedExample),
            Outcome.Status400 => Problem(400),
            Outcome.Status401 => Problem(401),
            Outcome.Status403 => Problem(403),
            Outcome.Status404 => Problem(404),
            Outcome.Status429 => Problem(429),
            Outcome.Status500 => Problem(500),
            Outcome.Status503 => Problem(503),
            Outcome.EchoedAsKey => Json(403, $$"""{"{{s.Token}}":1,"{{s.Password}}":3,"detail":"no"}"""),
            Outcome.EchoedUrlEncoded => Json(403, $$"""{"detail":"/x?access_token={{Uri.EscapeDataString(s.Token)}}&password={{Uri.EscapeDataString(s.Password ?? "none")}}"}"""),
            Outcome.EchoedJsonEscaped => Json(403, $$"""{"title":"{{SecretForms.Python(echo)}}","detail":"{{SecretForms.Php(echo)}}"}"""),
            Outcome.EchoedBase64 => Json(403, $$"""{"detail":"{{Base64(s.Token)}} {{Base64(s.Password ?? "none")}}"}"""),
            Outcome.InHeaders => Problem(429).WithHeader("Retry-After", s.Token).WithHeader("X-Echo", echo).WithHeader("WWW-Authenticate", $"Bearer error=\"invalid_token\", token=\"{s.Token}\""),
            Outcome.RedirectElsewhere => Response.Create().WithStatusCode(307).WithHeader("Location", $"{elsewhere.Url}/services/integrations/api/resources?access_token={Uri.EscapeDataString(s.Token)}&password={Uri.EscapeDataString(s.Password ?? "none")}"),
            // The Sync Summary request never carries the password, so its answer cannot echo it.
            Outcome.Malformed200 => Json(200, $$"""{"summaries":[{"{{s.Token}}": tru{{s.Token}}"""),
            Outcome.Html200 => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody($"<html><body>token {s.Token}</body></html>"),
            Outcome.AttemptTimeout => Json(200, LeafJson.DocumentedExample).WithDelay(TimeSpan.FromSeconds(3)),
            Outcome.ConnectionBroken => Response.Create().WithFault(FaultType.MALFORMED_RESPONSE_CHUNK),
            Outcome.Cancelled => Json(200, LeafJson.DocumentedExample).WithDelay(TimeSpan.FromSeconds(3)),
            Outcome.CircuitOpen => Problem(503),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
        };
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>One test's secrets, unique to it, and every token that went out on the wire.</summary>
    internal sealed class Secrets(bool login)
    {
        private readonly List<string> _sent = [];

        // A '/', a '+' and a '=' as an opaque token may have, so that URL-encoding and JSON's "\/" change its spelling.
        public string Token { get; } = "sekrit-r10-tok/" + Guid.NewGuid().ToString("N") + "+a=";

        // Only a client that logs in has one; a non-ASCII letter, so that JSON escapes it (\u00E9 or \u00e9).
        public string? Password { get; } = login ? "sekrit-r10-pw-é/" + Guid.NewGuid().ToString("N") + "+c=" : null;

        public IReadOnlyList<string> Tokens => _sent;

        public IEnumerable<string> All => [Token, .. Password is null ? [] : new[] { Password }, .. _sent];

        public void Sent(string? authorization)
        {
            if (authorization is { Length: > 7 } header && header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                _sent.Add(header[7..]);
            }
        }
    }
}

/// <summary>
/// A token source of the user's that fails with the token in its own message (a vault client that quotes what it
/// refused). The SDK keeps the user's exception as the cause, unchanged (FailureTypeTests), so its text travels in
/// InnerException and in what prints it; the SDK cannot tell which part of a text it did not write is a secret. What the
/// SDK writes itself (the message, its failure log, the span) quotes none of it.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ThrowingTokenSourceSecretTests
{
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task The_SDK_s_own_texts_do_not_repeat_a_token_the_source_put_in_its_exception(ClientKind kind)
    {
        var token = "sekrit-r10-vault-" + Guid.NewGuid().ToString("N");
        using var channels = new SecretChannels();
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var options = Stub.Options(server);
        options.AccessToken = null;
        options.TokenSource = new FailingAfterFirst(token);
        using var client = SecretSweepTests.Create(kind, options, channels);
        await client.Client.GetResourcesAsync();

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        var ownLog = channels.LogEntries.Where(e => e.Category.StartsWith("Leaf.Sdk", StringComparison.Ordinal)).Select(e => e.Text).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(error.InnerException, Is.TypeOf<InvalidOperationException>(), "the cause is kept as it was thrown");
            Assert.That(error.Message, Does.Contain(nameof(InvalidOperationException)).And.Not.Contain(token));
            Assert.That(error.ResponseExcerpt, Is.Null);
            Assert.That(ownLog, Has.Some.Contain("failed after 0 attempt(s)"), "the SDK's failure log was seen");
            Assert.That(ownLog.Where(t => t.Contains("CallFailed", StringComparison.Ordinal)), Has.None.Contain(token));
        });
    }

    private sealed class FailingAfterFirst(string token) : ILeafTokenSource
    {
        private int _calls;

        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? ValueTask.FromResult(token)
                : ValueTask.FromException<string>(new InvalidOperationException($"The vault refused to hand out {token} again."));
    }
}
