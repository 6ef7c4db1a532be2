using System.Globalization;
using System.Net;
using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// Answers whose body stalls or breaks off after the status line, for the Sync Summary's error answers and for the
/// login: the status decides what happens (a 404 is not retried because its body was slow), and the login, which every
/// waiting caller shares, always ends, so the next call can log in again. Time-outs elapse on a <c>FakeTimeProvider</c>.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class StalledAnswerTests
{
    [Test]
    public async Task Error_whose_body_stalls_is_reported_by_its_status_and_retried_only_if_the_status_is_transient(
        [Values] ClientKind kind, [Values(400, 403, 404, 503)] int status)
    {
        var transient = status == 503;
        using var raw = new RawHttpServer(_ => StalledError(status), stallAfterReply: true);
        using var h = new ResilienceHarness(kind, o =>
        {
            o.MaxRetries = 2;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(60);
        }, baseAddress: raw.Url);

        var ex = await FaultMatrixTests.CatchAsync(h, () => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () => raw.Requests >= h.AttemptsSent);

        Assert.Multiple(() =>
        {
            Assert.That(raw.Requests, Is.EqualTo(transient ? 3 : 1));
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(ex.IsTransient, Is.EqualTo(transient));
            Assert.That(ex.Attempts, Is.EqualTo(transient ? 3 : 1));
            Assert.That(ex.Message, Does.StartWith($"Leaf answered {status} {Reason(status)} to the Sync Summary request{(transient ? " after 3 attempts" : string.Empty)}."));
            Assert.That(ex.Message, Does.Not.Contain("AttemptTimeout"));
        });
    }

    [Test]
    public async Task Caller_cancelling_while_an_error_body_stalls_gets_a_cancellation([Values] ClientKind kind)
    {
        using var raw = new RawHttpServer(_ => StalledError(404), stallAfterReply: true);
        using var h = new ResilienceHarness(kind, baseAddress: raw.Url);
        using var cancellation = new CancellationTokenSource();

        var call = h.Client.GetResourcesAsync(cancellationToken: cancellation.Token);
        await ResilienceHarness.WaitUntilAsync(() => raw.Requests == 1, "the request reached the server");
        await cancellation.CancelAsync();

        var ex = await Assert.CatchAsync<OperationCanceledException>(async () => await call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.CancellationToken, Is.EqualTo(cancellation.Token));
            Assert.That(raw.Requests, Is.EqualTo(1));
        });
    }

    // Before, the login read its body after its pipeline had finished, with no time-out: a body that stalled held the
    // shared login for good, and every later call waited on it and failed without a new login being tried.
    [Test]
    public async Task Login_whose_answer_stalls_times_out_and_the_next_call_logs_in_again([Values] ClientKind kind)
    {
        var token = AuthStub.Jwt(ResilienceHarness.Epoch + TimeSpan.FromHours(1));
        using var raw = new RawHttpServer(
            n => n switch
            {
                1 => Answer("200 OK", """{"id_token":""", contentLength: 300),
                2 => Answer("200 OK", $$"""{"id_token":"{{token}}"}"""),
                _ => RawHttpServer.Ok,
            },
            stallAfterReply: true);
        using var h = new ResilienceHarness(kind, o =>
        {
            LogIn(o);
            o.MaxRetries = 0;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(60);
        }, baseAddress: raw.Url);

        var first = await FaultMatrixTests.CatchAsync(h, () => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () => raw.Requests >= 1);

        // The shared login must end by itself (its "login failed" event), or every later call would wait on it.
        await ResilienceHarness.WaitUntilAsync(() => Events(h, 6) == 1, "the stalled login ended");
        var second = await h.Client.GetResourcesAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            // The Sync Summary's attempt, which waits on the login, runs out at the same moment as the login's own:
            // either way, the message blames the login.
            Assert.That(first.Message, Does.StartWith("The login to Leaf did not finish within AttemptTimeout (10 s), so the Sync Summary request was not sent;")
                .Or.StartWith("Leaf did not answer the login within AttemptTimeout (10 s)"));
            Assert.That(first.IsTransient, Is.True);
            Assert.That(second.Summaries, Has.Count.EqualTo(1));
            Assert.That(raw.Requests, Is.EqualTo(3), "the stalled login, a new login, the Sync Summary");
        });
    }

    [Test]
    public async Task Token_source_that_never_answers_is_named_when_the_attempts_run_out([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o =>
        {
            o.AccessToken = null;
            o.TokenSource = new SilentTokenSource();
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
        });

        // Steps of a whole attempt: no attempt ever reaches the wire, so the harness cannot tell when a retry has begun.
        var ex = await FaultMatrixTests.CatchAsync(h, () => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(10), ResilienceHarness.AnyTime);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Is.EqualTo("The token source did not return a token within AttemptTimeout (10 s), so the Sync Summary request was not sent; check the ILeafTokenSource you configured, or raise AttemptTimeout."));
            Assert.That(ex.Attempts, Is.Zero);
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(h.Requests, Is.Zero);
        });
    }

    [Test]
    public async Task Login_whose_answer_breaks_off_is_retried_within_the_same_login([Values] ClientKind kind)
    {
        var token = AuthStub.Jwt(ResilienceHarness.Epoch + TimeSpan.FromHours(1));
        using var raw = new RawHttpServer(n => n switch
        {
            1 => Answer("200 OK", """{"id_token":""", contentLength: 300),
            2 => Answer("200 OK", $$"""{"id_token":"{{token}}"}"""),
            _ => RawHttpServer.Ok,
        });
        using var h = new ResilienceHarness(kind, o =>
        {
            LogIn(o);
            o.MaxRetries = 1;
        }, baseAddress: raw.Url);

        var response = await h.DriveAsync(() => h.Client.GetResourcesAsync(), gate: ResilienceHarness.AnyTime);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(raw.Requests, Is.EqualTo(3), "the broken login answer, its retry, the Sync Summary");
            Assert.That(Events(h, 4), Is.EqualTo(1), "one login (\"Logging in\"), retried inside its own pipeline");
            Assert.That(Events(h, 6), Is.Zero, "no failed login");
        });
    }

    [Test]
    public async Task Login_that_fails_after_its_retries_reports_its_attempts([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o =>
        {
            LogIn(o);
            o.MaxRetries = 2;
        });
        h.Server.Login(503, AuthStub.Problem(503, "Service Unavailable", "maintenance"));

        var ex = await FaultMatrixTests.CatchAsync(h, () => h.Client.GetResourcesAsync(), gate: ResilienceHarness.AnyTime);

        Assert.Multiple(() =>
        {
            Assert.That(h.Server.LoginRequests(), Is.EqualTo(3));
            Assert.That(ex.Attempts, Is.EqualTo(3));
            Assert.That(ex.Message, Does.StartWith("Leaf answered 503 Service Unavailable to the login after 3 attempts: maintenance."));
            Assert.That(h.Server.ResourceRequests(), Is.Zero);
        });
    }

    private sealed class SilentTokenSource : ILeafTokenSource
    {
        public async ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return "never";
        }
    }

    private static void LogIn(LeafClientOptions options)
    {
        options.AccessToken = null;
        options.Username = AuthStub.Username;
        options.Password = AuthStub.Password;
    }

    private static int Events(ResilienceHarness h, int id) =>
        h.Logs.Collector.GetSnapshot().Count(r => r.Id.Id == id && r.Category == "Leaf.Sdk.Authentication");

    private static string Reason(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Service Unavailable",
    };

    private static byte[] StalledError(int status) =>
        Answer(string.Create(CultureInfo.InvariantCulture, $"{status} {Reason(status)}"), """{"title":""", contentLength: 200);

    /// <summary>
    /// A JSON answer on a connection the server closes after it; <paramref name="contentLength"/> may promise more
    /// than <paramref name="body"/>, for a body that stalls (the server holds the connection) or breaks off (it does not).
    /// </summary>
    private static byte[] Answer(string statusLine, string body, int? contentLength = null) => Encoding.ASCII.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"HTTP/1.1 {statusLine}\r\nContent-Type: application/json\r\nContent-Length: {contentLength ?? Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}"));
}
