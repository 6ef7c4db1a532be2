using System.Globalization;
using System.Net;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Status;

/// <summary>
/// 1xx interim answers (the final answer wins), a 101 nobody asked for, a status line with no reason phrase, and a 401
/// on the call with a login source (exactly one renewal), through both clients.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class InterimAndRenewalTests
{
    private static readonly ClientKind[] Kinds = [ClientKind.Standalone, ClientKind.DependencyInjection];

    public static IEnumerable<TestCaseData> Interims()
    {
        foreach (var kind in Kinds)
        {
            foreach (var interim in new[] { "100 Continue", "102 Processing", "103 Early Hints\r\nLink: </style.css>; rel=preload", "199 Whatever" })
            {
                foreach (var final in new[] { 200, 404, 503 })
                {
                    yield return new TestCaseData(kind, interim, final).SetArgDisplayNames(kind.ToString(), interim[..3], final.ToString(CultureInfo.InvariantCulture));
                }
            }
        }
    }

    [TestCaseSource(nameof(Interims))]
    public async Task InterimAnswersAreSkippedAndTheFinalOneWins(ClientKind kind, string interim, int final)
    {
        var finalAnswer = final == 200
            ? StatusServer.Answer(200, "OK", "application/json", LeafJson.DocumentedExample)
            : StatusServer.Answer(final, final == 404 ? "Not Found" : "Service Unavailable", "application/problem+json", StatusSweepTests.ProblemJson(final));
        using var server = new StatusServer(_ => $"HTTP/1.1 {interim}\r\n\r\n" + finalAnswer);
        var options = StatusSweepTests.Options(server.Url);
        options.AccessToken = Stub.Token;
        using var client = TestClient.Create(kind, options);

        if (await FinalAnswerAsync(client, final) is not { } ex)
        {
            return;
        }

        Assert.That(ex.Problem?.ErrorKey, Is.EqualTo($"sweep{final}"), ex.Message);
    }

    public static IEnumerable<TestCaseData> LoginInterims()
    {
        foreach (var kind in Kinds)
        {
            foreach (var final in new[] { 200, 401, 503 })
            {
                yield return new TestCaseData(kind, final).SetArgDisplayNames(kind.ToString(), final.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    [TestCaseSource(nameof(LoginInterims))]
    public async Task AnInterimAnswerToTheLoginIsSkippedToo(ClientKind kind, int final)
    {
        var token = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1));
        var finalAnswer = final switch
        {
            200 => StatusServer.Answer(200, "OK", "application/json", $$"""{"id_token":"{{token}}"}"""),
            401 => StatusServer.Answer(401, "Unauthorized", "application/problem+json", """{"title":"Unauthorized","detail":"Bad credentials"}"""),
            _ => StatusServer.Answer(503, "Service Unavailable", null, string.Empty),
        };
        using var server = new StatusServer(path => path.StartsWith(AuthStub.LoginPath, StringComparison.Ordinal)
            ? "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n" + finalAnswer
            : StatusServer.Answer(200, "OK", "application/json", LeafJson.DocumentedExample));
        var options = StatusSweepTests.Options(server.Url);
        options.Username = AuthStub.Username;
        options.Password = StatusSweepTests.LoginPassword;
        using var client = TestClient.Create(kind, options);

        if (await FinalAnswerAsync(client, final) is not { } ex)
        {
            return;
        }

        Assert.Multiple(() =>
        {
            Assert.That(ex, final == 401 ? Is.InstanceOf<LeafAuthenticationException>() : Is.Not.InstanceOf<LeafAuthenticationException>(), ex.Message);
            Assert.That(server.Count(Stub.ResourcesPath), Is.Zero);
        });
    }

    // The final answer decides the call: a 200 gives Leaf's example; any other status is the error, after the retries a
    // 503 earns and no more. Null on success, else the error, for the caller's own checks.
    private static async Task<LeafApiException?> FinalAnswerAsync(TestClient client, int final)
    {
        if (final == 200)
        {
            var response = await client.Client.GetResourcesAsync();
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            return null;
        }

        var ex = (await Assert.CatchAsync<LeafApiException>(() => client.Client.GetResourcesAsync()))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)final), ex.Message);
            Assert.That(ex.Attempts, Is.EqualTo(final == 503 ? StatusSweepTests.MaxRetries + 1 : 1), ex.Message);
        });
        return ex;
    }

    [TestCaseSource(nameof(Kinds))]
    public async Task AnInterimAnswerAloneIsANetworkErrorAndRetried(ClientKind kind)
    {
        using var server = new StatusServer(_ => "HTTP/1.1 100 Continue\r\n\r\n");
        var options = StatusSweepTests.Options(server.Url);
        options.AccessToken = Stub.Token;
        using var client = TestClient.Create(kind, options);

        var ex = (await Assert.CatchAsync<LeafApiException>(() => client.Client.GetResourcesAsync()))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.Null, ex.Message);
            Assert.That(ex.IsTransient, Is.True, ex.Message);
            Assert.That(ex.Attempts, Is.EqualTo(StatusSweepTests.MaxRetries + 1), ex.Message);
        });
    }

    [TestCaseSource(nameof(Kinds))]
    public async Task ASwitchingProtocolsNobodyAskedForIsAnError(ClientKind kind)
    {
        using var server = new StatusServer(_ => "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nraw bytes");
        var options = StatusSweepTests.Options(server.Url);
        options.AccessToken = Stub.Token;
        using var client = TestClient.Create(kind, options);

        var ex = (await Assert.CatchAsync<LeafApiException>(() => client.Client.GetResourcesAsync()))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.GetType(), Is.EqualTo(typeof(LeafApiException)), ex.Message);
            Assert.That(ex.IsTransient, Is.False, ex.Message);
            Assert.That(ex.Attempts, Is.EqualTo(1), ex.Message);
            Assert.That(ex.Message, Does.Contain("101"));
        });
    }

    public static IEnumerable<TestCaseData> Unnamed()
    {
        foreach (var kind in Kinds)
        {
            foreach (var code in new[] { 299, 404, 418, 420, 499, 503, 520, 600 })
            {
                yield return new TestCaseData(kind, code).SetArgDisplayNames(kind.ToString(), code.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>HTTP/2 and some HTTP/1.1 servers send no reason phrase; the message should not then say "418 418".</summary>
    [TestCaseSource(nameof(Unnamed))]
    public async Task AStatusWithNoReasonPhraseIsNamedOnce(ClientKind kind, int code)
    {
        using var server = new StatusServer(_ => StatusServer.Answer(code, string.Empty, null, string.Empty));
        var options = StatusSweepTests.Options(server.Url);
        options.AccessToken = Stub.Token;
        options.MaxRetries = 0;
        using var client = TestClient.Create(kind, options);

        var ex = (await Assert.CatchAsync<LeafApiException>(() => client.Client.GetResourcesAsync()))!;
        var number = code.ToString(CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)code), ex.Message);
            Assert.That(ex.Message, Does.Contain(number));
            Assert.That(ex.Message, Does.Not.Contain($"{number} {number}"));
            if (code >= 600)
            {
                Assert.That(ex.Message, Does.Not.Contain("server-side"), "a 600 is no 5xx");
            }
        });
    }

    [TestCaseSource(nameof(Kinds))]
    public async Task A401OnTheCallRenewsOnceThenFails(ClientKind kind)
    {
        var logins = 0;
        using var server = new StatusServer(path => path.StartsWith(AuthStub.LoginPath, StringComparison.Ordinal)
            ? StatusServer.Answer(200, "OK", "application/json", $$"""{"id_token":"{{AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1), Interlocked.Increment(ref logins).ToString(CultureInfo.InvariantCulture))}}"}""")
            : StatusServer.Answer(401, "Unauthorized", "application/problem+json", """{"title":"Unauthorized","status":401,"detail":"Full authentication is required"}"""));
        var options = StatusSweepTests.Options(server.Url);
        options.Username = AuthStub.Username;
        options.Password = StatusSweepTests.LoginPassword;
        using var client = TestClient.Create(kind, options);

        var ex = (await Assert.CatchAsync<LeafApiException>(() => client.Client.GetResourcesAsync()))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<LeafAuthenticationException>(), ex.Message);
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(server.Count(AuthStub.LoginPath), Is.EqualTo(2), "one login, one renewal");
            Assert.That(server.Count(Stub.ResourcesPath), Is.EqualTo(2), "one send, one resend");
            Assert.That(ex.Message, Does.Contain("even after it was renewed"));
            Assert.That(ex.Problem?.Detail, Is.EqualTo("Full authentication is required"));
            StatusSweepTests.AssertNoSecret(ex, StatusSweepTests.LoginPassword);
        });
    }

    [TestCaseSource(nameof(Kinds))]
    public async Task A401ThenSuccessIsCuredByOneRenewal(ClientKind kind)
    {
        var logins = 0;
        var calls = 0;
        using var server = new StatusServer(path => path.StartsWith(AuthStub.LoginPath, StringComparison.Ordinal)
            ? StatusServer.Answer(200, "OK", "application/json", $$"""{"id_token":"{{AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1), Interlocked.Increment(ref logins).ToString(CultureInfo.InvariantCulture))}}"}""")
            : Interlocked.Increment(ref calls) == 1
                ? StatusServer.Answer(401, "Unauthorized", null, string.Empty)
                : StatusServer.Answer(200, "OK", "application/json", LeafJson.DocumentedExample));
        var options = StatusSweepTests.Options(server.Url);
        options.Username = AuthStub.Username;
        options.Password = StatusSweepTests.LoginPassword;
        using var client = TestClient.Create(kind, options);

        var response = await client.Client.GetResourcesAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(server.Count(AuthStub.LoginPath), Is.EqualTo(2));
            Assert.That(server.Count(Stub.ResourcesPath), Is.EqualTo(2));
        });
    }
}
