using System.Globalization;
using System.Net;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Status;

/// <summary>
/// Every status a server can send, to the Sync Summary call and to the login, through both clients, with a problem
/// JSON, an HTML and an empty body: the exception type, status, IsTransient and attempts DESIGN §4 and the README
/// promise, and a message that names the status and never shows a secret.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class StatusSweepTests
{
    internal const int MaxRetries = 2;
    internal const string Secret = "tok-9f8e7d6c5b4a39281706";

    // No four characters of it are in an English word an error message may use (AuthStub's has "word", as in "Password").
    internal const string LoginPassword = "Zq7-xK2m!vR9#jT4";

    internal static readonly (int Code, string Reason)[] Codes =
    [
        (200, "OK"), (201, "Created"), (202, "Accepted"), (203, "Non-Authoritative Information"), (204, "No Content"),
        (205, "Reset Content"), (206, "Partial Content"), (207, "Multi-Status"), (208, "Already Reported"), (226, "IM Used"), (299, "Whatever"),
        (300, "Multiple Choices"), (301, "Moved Permanently"), (302, "Found"), (303, "See Other"), (304, "Not Modified"),
        (305, "Use Proxy"), (306, "Unused"), (307, "Temporary Redirect"), (308, "Permanent Redirect"),
        (400, "Bad Request"), (401, "Unauthorized"), (402, "Payment Required"), (403, "Forbidden"), (404, "Not Found"),
        (405, "Method Not Allowed"), (406, "Not Acceptable"), (407, "Proxy Authentication Required"), (408, "Request Timeout"),
        (409, "Conflict"), (410, "Gone"), (411, "Length Required"), (412, "Precondition Failed"), (413, "Content Too Large"),
        (414, "URI Too Long"), (415, "Unsupported Media Type"), (416, "Range Not Satisfiable"), (417, "Expectation Failed"),
        (418, "I'm a teapot"), (420, "Enhance Your Calm"), (421, "Misdirected Request"), (422, "Unprocessable Content"), (423, "Locked"),
        (424, "Failed Dependency"), (425, "Too Early"), (426, "Upgrade Required"), (428, "Precondition Required"),
        (429, "Too Many Requests"), (431, "Request Header Fields Too Large"), (451, "Unavailable For Legal Reasons"), (499, "Client Closed Request"),
        (500, "Internal Server Error"), (501, "Not Implemented"), (502, "Bad Gateway"), (503, "Service Unavailable"),
        (504, "Gateway Timeout"), (505, "HTTP Version Not Supported"), (506, "Variant Also Negotiates"), (507, "Insufficient Storage"),
        (508, "Loop Detected"), (510, "Not Extended"), (511, "Network Authentication Required"), (520, "Unknown Error"),
        (599, "Network Connect Timeout Error"), (600, "Beyond"), (999, "Far Beyond"),
    ];

    public enum Body
    {
        Success,
        Problem,
        Html,
        Empty,
    }

    internal static bool Retried(int code) => code is 408 or 429 or 500 or 502 or 503 or 504;

    internal static bool BodyAllowed(int code, Body body) => code is not (204 or 304) || body == Body.Empty;

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var kind in Enum.GetValues<ClientKind>())
        {
            foreach (var (code, reason) in Codes)
            {
                foreach (var body in Enum.GetValues<Body>())
                {
                    if ((body == Body.Success && code is < 200 or > 299) || !BodyAllowed(code, body))
                    {
                        continue;
                    }

                    yield return new TestCaseData(kind, code, reason, body).SetArgDisplayNames(kind.ToString(), code.ToString(CultureInfo.InvariantCulture), body.ToString());
                }
            }
        }
    }

    internal static string Answer(int code, string reason, Body body, string success, string extraHeaders = "") => body switch
    {
        Body.Success => StatusServer.Answer(code, reason, "application/json", success, extraHeaders),
        Body.Problem => StatusServer.Answer(code, reason, "application/problem+json", ProblemJson(code), extraHeaders),
        Body.Html => StatusServer.Answer(code, reason, "text/html", $"<html><body><h1>{code} {reason}</h1><p>Bearer {Secret}</p></body></html>", extraHeaders),
        _ => StatusServer.Answer(code, reason, null, string.Empty, extraHeaders),
    };

    internal static string ProblemJson(int code) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"type":"https://www.jhipster.tech/problem/problem-with-message","title":"Sweep title {{code}}","status":{{code}},"detail":"echoed: {{Secret}} {{LoginPassword}}","path":"/x","message":"error.http.{{code}}","errorKey":"sweep{{code}}"}""");

    [TestCaseSource(nameof(Cases))]
    public async Task SyncSummaryCall(ClientKind kind, int code, string reason, Body body)
    {
        using var decoy = new StatusServer(_ => StatusServer.Answer(200, "OK", "application/json", LeafJson.DocumentedExample));
        var location = code is >= 300 and < 400 && body != Body.Empty ? $"Location: {decoy.Url}services/integrations/api/resources\r\n" : string.Empty;
        using var server = new StatusServer(_ => Answer(code, reason, body, LeafJson.DocumentedExample, location));
        var options = Options(server.Url);
        options.AccessToken = Secret;
        using var client = TestClient.Create(kind, options);

        if (code is >= 200 and <= 299 && body is Body.Success or Body.Problem)
        {
            // A problem body on a success status is read as an envelope with no summaries (DESIGN §4: missing keys
            // parse); pinned here, and reported, because it reads as "nothing synced".
            var response = await client.Client.GetResourcesAsync();
            Assert.That(response.Summaries, Has.Count.EqualTo(body == Body.Success ? 1 : 0));
            Assert.That(server.Count(Stub.ResourcesPath), Is.EqualTo(1));
            return;
        }

        var ex = (await Assert.CatchAsync<LeafApiException>(() => client.Client.GetResourcesAsync()))!;
        var expectedAttempts = Retried(code) ? MaxRetries + 1 : 1;
        var success = code is >= 200 and <= 299;
        Assert.Multiple(() =>
        {
            Assert.That(ex.GetType(), Is.EqualTo(code == 401 ? typeof(LeafAuthenticationException) : typeof(LeafApiException)), ex.Message);
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)code), ex.Message);
            Assert.That(ex.IsTransient, Is.EqualTo(Retried(code)), ex.Message);
            Assert.That(ex.Attempts, Is.EqualTo(expectedAttempts), ex.Message);
            Assert.That(server.Count(Stub.ResourcesPath), Is.EqualTo(expectedAttempts), ex.Message);
            Assert.That(decoy.Requests, Is.Empty, "a redirect was followed");
            // A 200 that is no Sync Summary is the parser's message, which leaves the usual status out.
            if (code != 200)
            {
                Assert.That(ex.Message, Does.Contain(code.ToString(CultureInfo.InvariantCulture)));
            }

            Assert.That(ex.Message, Does.Contain(success ? "Leaf answered" : "Sync Summary"));
            AssertNoSecret(ex, Secret);
            if (body == Body.Problem && code is < 200 or > 299)
            {
                Assert.That(ex.Problem?.ErrorKey, Is.EqualTo($"sweep{code}"), ex.Message);
                Assert.That(ex.Message, Does.Contain($"sweep{code}"));
            }

            if (code is >= 300 and < 400 and not 304)
            {
                Assert.That(ex.Message, Does.Contain("does not follow redirects"));
            }
        });
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Login(ClientKind kind, int code, string reason, Body body)
    {
        var token = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1));
        using var server = new StatusServer(path => path.StartsWith(AuthStub.LoginPath, StringComparison.Ordinal)
            ? Answer(code, reason, body, $$"""{"id_token":"{{token}}"}""", code is >= 300 and < 400 && body != Body.Empty ? "Location: https://elsewhere.example/api/authenticate\r\n" : string.Empty)
            : StatusServer.Answer(200, "OK", "application/json", LeafJson.DocumentedExample));
        var options = Options(server.Url);
        options.Username = AuthStub.Username;
        options.Password = LoginPassword;
        using var client = TestClient.Create(kind, options);

        if (code is >= 200 and <= 299 && body == Body.Success)
        {
            var response = await client.Client.GetResourcesAsync();
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(server.Count(AuthStub.LoginPath), Is.EqualTo(1));
            return;
        }

        var ex = (await Assert.CatchAsync<LeafApiException>(() => client.Client.GetResourcesAsync()))!;
        var retried = code is 500 or 502 or 503 or 504;
        var expectedAttempts = retried ? MaxRetries + 1 : 1;
        Assert.Multiple(() =>
        {
            if (code is 400 or 401 or 403 or 422 || code is >= 200 and <= 299)
            {
                Assert.That(ex, Is.TypeOf<LeafAuthenticationException>(), ex.Message);
            }
            else
            {
                Assert.That(ex, Is.TypeOf<LeafApiException>(), ex.Message);
                Assert.That(ex.IsTransient, Is.EqualTo(Retried(code)), ex.Message);
            }

            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)code), ex.Message);
            Assert.That(server.Count(AuthStub.LoginPath), Is.EqualTo(expectedAttempts), ex.Message);
            Assert.That(server.Count(Stub.ResourcesPath), Is.Zero, ex.Message);
            Assert.That(ex.Message, Does.Contain("login"));
            Assert.That(ex.Message, Does.Not.Contain("leafUserId").And.Not.Contain("provider"), "advice for the Sync Summary call on a login");
            AssertNoSecret(ex, LoginPassword);
            if (code == 404)
            {
                Assert.That(ex.Message, Does.Contain("/api/authenticate"), "the address the login went to");
            }

            // One login went out, whatever came back: a 2xx with no token in it counts it too.
            Assert.That(ex.Attempts, Is.EqualTo(expectedAttempts), ex.Message);
            Assert.That(ex.Message, Does.Contain(code.ToString(CultureInfo.InvariantCulture)));
            if (code is >= 300 and < 400 and not 304)
            {
                Assert.That(ex.Message, Does.Contain("username and password never leave"), "a login carries no token");
            }

            if (code is >= 300 && body == Body.Problem)
            {
                Assert.That(ex.Problem?.ErrorKey, Is.EqualTo($"sweep{code}"), ex.Message);
            }
        });
    }

    internal static LeafClientOptions Options(Uri url) => new()
    {
        BaseAddress = url,
        MaxRetries = MaxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(30),
        TotalTimeout = TimeSpan.FromSeconds(60),
        EnableCircuitBreaker = false,
    };

    internal static void AssertNoSecret(LeafApiException ex, string secret)
    {
        foreach (var text in new[] { ex.Message, ex.ToString(), ex.ResponseExcerpt, ex.Problem?.ToString() })
        {
            Assert.That(SecretPieces.FoundIn(text, secret), Is.Empty, text);
        }
    }
}
