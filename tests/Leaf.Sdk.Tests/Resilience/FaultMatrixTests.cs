using System.Globalization;
using System.Net;
using Leaf.Sdk.Resilience;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// The fault matrix of issue 4, for the standalone client and the DI client alike: every case runs for both
/// <see cref="ClientKind"/> values. Back-off waits and time-outs elapse on a <c>FakeTimeProvider</c>.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FaultMatrixTests
{
    private static readonly int[] TransientStatuses = [408, 429, 500, 502, 503, 504];

    [Test]
    public async Task Transient_status_failing_n_times_then_200_succeeds_after_n_plus_1_requests(
        [Values] ClientKind kind,
        [ValueSource(nameof(TransientStatuses))] int status,
        [Values(1, 2, 3)] int failures)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(failures, () => ResilienceHarness.Status(status));

        var response = await h.DriveAsync(() => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Single().Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(h.Requests, Is.EqualTo(failures + 1));
            Assert.That(h.RetryEvents, Has.Count.EqualTo(failures), "one log event per retry");
        });
    }

    [Test]
    public async Task Transient_status_that_persists_fails_after_max_retries_plus_1_requests(
        [Values] ClientKind kind,
        [ValueSource(nameof(TransientStatuses))] int status)
    {
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 2);
        h.Always(ResilienceHarness.Status(status));

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.Not.TypeOf<LeafAuthenticationException>());
            Assert.That(h.Requests, Is.EqualTo(3));
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(ex.Attempts, Is.EqualTo(3));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Problem?.Title, Is.EqualTo("Service trouble"));
            Assert.That(ex.Problem?.ErrorKey, Is.EqualTo("error.test"));
            Assert.That(ex.Problem?.Status, Is.EqualTo(status));
            Assert.That(ex.Message, Does.Contain($"Leaf answered {status} ").And.Contain("after 3 attempts").And.Contain("Service trouble"));
            Assert.That(h.RetryEvents, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task Zero_max_retries_means_one_request([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 0);
        h.Always(ResilienceHarness.Status(503));

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(h.Requests, Is.EqualTo(1));
            Assert.That(ex.Attempts, Is.EqualTo(1));
            Assert.That(ex.IsTransient, Is.True);
        });
    }

    [Test]
    public async Task Other_4xx_is_sent_once_and_never_retried(
        [Values] ClientKind kind,
        [Values(400, 403, 404, 409, 422)] int status)
    {
        using var h = new ResilienceHarness(kind);
        h.Always(ResilienceHarness.Status(status));

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.Not.TypeOf<LeafAuthenticationException>());
            Assert.That(h.Requests, Is.EqualTo(1));
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(ex.Attempts, Is.EqualTo(1));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(ex.Problem?.Title, Is.EqualTo("Service trouble"));
            Assert.That(h.RetryEvents, Is.Empty);
        });
    }

    [Test]
    public async Task Unauthorized_with_a_static_token_is_sent_once_and_is_an_authentication_failure([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.Always(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json").WithBody(LeafJson.Unauthorized401));

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<LeafAuthenticationException>());
            Assert.That(h.Requests, Is.EqualTo(1));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(ex.Problem?.Detail, Is.EqualTo("Full authentication is required to access this resource"));
        });
    }

    // WireMock.Net's EMPTY_RESPONSE and MALFORMED_RESPONSE_CHUNK send a complete, well-framed 200 whose body is empty
    // or garbled: a bad answer, not a broken transfer. It is reported at once, with what was wrong and an excerpt.
    [Test]
    public async Task WireMock_empty_response_fault_is_a_bad_body_reported_at_once([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.Always(Response.Create().WithBody(LeafJson.DocumentedExample).WithFault(FaultType.EMPTY_RESPONSE));

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(h.Requests, Is.EqualTo(1));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(ex.Attempts, Is.EqualTo(1));
            Assert.That(ex.Message, Does.Contain("empty body"));
        });
    }

    [Test]
    public async Task WireMock_malformed_chunk_fault_is_a_bad_body_reported_at_once([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.Always(Response.Create().WithBody(LeafJson.DocumentedExample).WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(h.Requests, Is.EqualTo(1));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(ex.Message, Does.Contain("not a valid Sync Summary"));
            Assert.That(ex.ResponseExcerpt, Does.StartWith("{\"mes"));
        });
    }

    public enum TransportFault
    {
        ClosedWithoutAnswer,
        ChunkedBodyBreaksOff,
    }

    // A connection closed before any answer byte is also retried by SocketsHttpHandler itself (a few times, at
    // once) before the SDK sees it; so for that fault the server counts connections, the SDK counts attempts.
    [Test]
    public async Task Transport_fault_once_then_200_succeeds([Values] ClientKind kind, [Values] TransportFault fault)
    {
        using var raw = new RawHttpServer(n => n == 1 ? FaultBytes(fault) : RawHttpServer.Ok);
        using var h = new ResilienceHarness(kind, baseAddress: raw.Url);

        var response = await h.DriveAsync(() => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(raw.Requests, Is.EqualTo(2));
            Assert.That(h.RetryEvents, Has.Count.EqualTo(fault == TransportFault.ChunkedBodyBreaksOff ? 1 : 0));
        });
    }

    [Test]
    public async Task Transport_fault_that_persists_fails_with_no_status_after_max_retries_plus_1_attempts([Values] ClientKind kind, [Values] TransportFault fault)
    {
        using var raw = new RawHttpServer(_ => FaultBytes(fault));
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 2, baseAddress: raw.Url);

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.Null);
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(3));
            Assert.That(h.RetryEvents, Has.Count.EqualTo(2));
            Assert.That(ex.Message, Does.Contain("after 3 attempts"));
            if (fault == TransportFault.ChunkedBodyBreaksOff)
            {
                Assert.That(h.RetryEvents[0].Message, Does.Contain("failed with a response body that broke off"));
                Assert.That(raw.Requests, Is.EqualTo(3));
                Assert.That(ex.Message, Does.Contain("broke while"));
            }
            else
            {
                Assert.That(raw.Requests % 3, Is.Zero, "each SDK attempt is the same number of connections");
                Assert.That(ex.Message, Does.Contain("closed the connection without a complete answer"));
            }
        });
    }

    public enum ResetPoint
    {
        /// <summary>The request is read, then the connection is reset: not one byte of an answer.</summary>
        BeforeAnyByte,

        /// <summary>A 200's status line and headers, promising a body, then the reset.</summary>
        AfterHeaders,

        /// <summary>A 200's headers and the start of its body, then the reset.</summary>
        MidBody,
    }

    [Test]
    public async Task Connection_reset_once_then_200_succeeds([Values] ClientKind kind, [Values] ResetPoint point)
    {
        using var raw = new RawHttpServer(n => n == 1 ? ResetBytes(point) : RawHttpServer.Ok, reset: n => n == 1);
        using var h = new ResilienceHarness(kind, baseAddress: raw.Url);

        var response = await h.DriveAsync(() => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(raw.Requests, Is.EqualTo(2));
            Assert.That(h.RetryEvents, Has.Count.EqualTo(1), "a reset is a network error, retried by the SDK");
        });
    }

    [Test]
    public async Task Connection_reset_that_persists_fails_with_no_status_after_max_retries_plus_1_attempts([Values] ClientKind kind, [Values] ResetPoint point)
    {
        using var raw = new RawHttpServer(_ => ResetBytes(point), reset: _ => true);
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 2, baseAddress: raw.Url);

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.Null);
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(3));
            Assert.That(raw.Requests, Is.EqualTo(3));
            Assert.That(h.RetryEvents, Has.Count.EqualTo(2));
            Assert.That(ex.InnerException, Is.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>());
            Assert.That(ex.Message, Does.Not.EndWith(".."));
            if (point == ResetPoint.BeforeAnyByte)
            {
                // .NET files this under HttpRequestError.Unknown, with only "An error occurred while sending the request."
                Assert.That(ex.Message, Is.EqualTo("Could not reach Leaf at 127.0.0.1 for the Sync Summary request after 3 attempts: the connection was reset."));
                Assert.That(h.RetryEvents[0].Message, Does.Contain("failed with a network error"));
            }
            else
            {
                // Linux hands the client the bytes sent before the reset; the reset then breaks the read of the body.
                Assert.That(ex.Message, Is.EqualTo("The connection to Leaf at 127.0.0.1 broke while the Sync Summary request was being answered after 3 attempts."));
                Assert.That(h.RetryEvents[0].Message, Does.Contain("failed with a response body that broke off"));
            }
        });
    }

    // The error body is read inside the attempt, under AttemptTimeout: a proxy that sends a status and then stalls
    // must not hold the call past the time-outs the user set. The status still decides: a 503 is retried, and reported
    // as the 503 it is (StalledAnswerTests has the other statuses).
    [Test]
    public async Task Error_body_that_stalls_is_cut_by_the_attempt_timeout([Values] ClientKind kind)
    {
        using var raw = new RawHttpServer(_ => RawHttpServer.ErrorHeadersOnly, stallAfterReply: true);
        using var h = new ResilienceHarness(kind, o =>
        {
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(60);
        }, baseAddress: raw.Url);

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () => raw.Requests >= h.AttemptsSent);

        Assert.Multiple(() =>
        {
            Assert.That(raw.Requests, Is.EqualTo(2));
            Assert.That(ex.Attempts, Is.EqualTo(2));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ex.Message, Does.StartWith("Leaf answered 503 Service Unavailable to the Sync Summary request after 2 attempts."));
        });
    }

    [Test]
    public async Task Connection_refused_is_retried_then_reported_with_no_status([Values] ClientKind kind)
    {
        using var closed = new ClosedPort();
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 2, baseAddress: closed.Url);

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.Null);
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(3));
            Assert.That(ex.Message, Does.Contain("connection was refused").And.Contain("127.0.0.1"));
            Assert.That(h.RetryEvents, Has.Count.EqualTo(2));
            Assert.That(h.RetryEvents[0].Message, Does.Contain("failed with a network error (ConnectionError)"));
        });
    }

    public enum Slowness
    {
        /// <summary>The request is read and never answered.</summary>
        NoAnswer,

        /// <summary>A 200 with headers and the start of the body, then nothing: the body is parsed inside the attempt.</summary>
        BodyStalls,
    }

    // A server that never finishes its answer, so no real-time race: only the fake clock decides.
    [Test]
    public async Task Reply_slower_than_the_attempt_timeout_is_retried_then_reported([Values] ClientKind kind, [Values] Slowness slowness)
    {
        using var raw = new RawHttpServer(_ => SlowBytes(slowness), stallAfterReply: true);
        using var h = new ResilienceHarness(kind, o =>
        {
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(60);
        }, baseAddress: raw.Url);

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () => raw.Requests >= h.AttemptsSent);

        Assert.Multiple(() =>
        {
            Assert.That(raw.Requests, Is.EqualTo(2));
            Assert.That(ex.StatusCode, Is.Null);
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(2));
            Assert.That(ex.Message, Does.Contain("did not answer the Sync Summary request within AttemptTimeout (10 s) after 2 attempts"));
            Assert.That(ex.InnerException, Is.InstanceOf<Polly.Timeout.TimeoutRejectedException>());
            Assert.That(h.RetryEvents.Single().Message, Does.Contain("attempt time-out"));
        });
    }

    [Test]
    public async Task Reply_slower_than_the_attempt_timeout_then_a_prompt_one_succeeds([Values] ClientKind kind, [Values] Slowness slowness)
    {
        using var raw = new RawHttpServer(n => n == 1 ? SlowBytes(slowness) : RawHttpServer.Ok, stallAfterReply: true);
        using var h = new ResilienceHarness(kind, o => o.AttemptTimeout = TimeSpan.FromSeconds(10), baseAddress: raw.Url);

        var response = await h.DriveAsync(() => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () => raw.Requests >= h.AttemptsSent);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(raw.Requests, Is.EqualTo(2));
            Assert.That(h.RetryEvents.Single().Message, Does.Contain("attempt time-out"));
        });
    }

    [Test]
    public async Task Call_longer_than_the_total_timeout_is_cut_short_with_its_own_message([Values] ClientKind kind)
    {
        using var raw = new RawHttpServer(_ => [], stallAfterReply: true);
        using var h = new ResilienceHarness(kind, o =>
        {
            o.MaxRetries = 5;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(15);
        }, baseAddress: raw.Url);

        // The clock runs while the attempt sent is on the server, and stops at each deadline until the SDK has acted on
        // it: at 10 s (the first attempt's time-out) until the retry is under way, and for good at 15 s (the total
        // time-out). On a busy machine that reaction can lag the driver by several 1 s steps; without the stops the
        // clock once ran from the first attempt's time-out past the total one before the second attempt was sent.
        var elapsed = () => h.Time.GetUtcNow() - ResilienceHarness.Epoch;
        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () =>
            raw.Requests >= h.AttemptsSent
            && elapsed() < h.Options.TotalTimeout
            && (elapsed() < h.Options.AttemptTimeout || h.RetryEvents.Count >= 1));

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.Null);
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(2), "the first attempt timed out at 10 s, the second was cut at 15 s");
            Assert.That(ex.Message, Does.StartWith("The Sync Summary request did not finish within TotalTimeout (15 s) after 2 attempts"));
            Assert.That(elapsed(), Is.EqualTo(TimeSpan.FromSeconds(15)), "the call ended at the total time-out");
        });
    }

    [Test]
    public async Task Reply_slower_than_the_attempt_timeout_from_WireMock_is_cut_short([Values] ClientKind kind)
    {
        // WireMock's delay is real time; the 3 s reply must lose against a 10 s attempt time-out on the fake clock,
        // which the driver passes in ten 1 s steps.
        using var h = new ResilienceHarness(kind, o =>
        {
            o.MaxRetries = 0;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
        });
        h.Always(Response.Create().WithBody(LeafJson.DocumentedExample).WithDelay(TimeSpan.FromSeconds(3)));

        var ex = await CatchAsync(h, () => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), ResilienceHarness.AnyTime);

        Assert.That(ex.Message, Does.Contain("within AttemptTimeout (10 s)"));
    }

    [Test]
    public async Task A_back_off_longer_than_the_time_left_ends_the_call_with_Leafs_answer_at_once([Values] ClientKind kind)
    {
        // 503s with back-offs of about 10, 20, 40 s: one of the waits outlasts what is left of the 50 s budget. Before
        // the SDK drew the back-off itself, the call slept into TotalTimeout and ended with the time-out, not the 503.
        using var h = new ResilienceHarness(kind, o =>
        {
            o.MaxRetries = 10;
            o.RetryBaseDelay = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(50);
            o.AttemptTimeout = TimeSpan.FromSeconds(20);
        });
        h.Always(ResilienceHarness.Status(503));

        // The clock moves only by the back-offs the SDK chose, each to its exact end, once its timer waits. Stepped by
        // a second at a time, the clock overshot a back-off that fit the budget with under a second to spare into
        // TotalTimeout (a back-off of 33.2 s at +16 s: the step to +50 s fired both), and it moved while a busy machine
        // kept the call from its first attempt or from its next one after a back-off.
        var call = h.Client.GetResourcesAsync();
        await h.DriveBackOffsUntilAsync(call);
        var ex = (await Assert.ThrowsAsync<LeafApiException>(async () => await call))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.StartWith("Leaf answered 503 Service Unavailable to the Sync Summary request after"));
            Assert.That(ex.Message, Does.Contain("Not retried: the back-off before the next attempt"));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(h.Requests));
            Assert.That(h.Requests, Is.InRange(2, 10));
            Assert.That(h.Time.GetUtcNow() - ResilienceHarness.Epoch, Is.LessThan(TimeSpan.FromSeconds(50)), "the call did not wait into TotalTimeout");
        });
    }

    [Test]
    public async Task Retry_after_in_seconds_is_the_wait_used([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(1, () => ResilienceHarness.Status(429).WithHeader("Retry-After", "7"));

        var call = h.Client.GetResourcesAsync();
        await ResilienceHarness.WaitUntilAsync(() => h.RetryEvents.Count == 1, "the retry is scheduled");
        await Task.Delay(20);

        h.Time.Advance(TimeSpan.FromSeconds(6.9));
        await Task.Delay(50);
        var requestsBeforeTheWaitEnds = h.Requests;
        await h.DriveUntilAsync(call);
        await call;

        Assert.Multiple(() =>
        {
            Assert.That(DelayMs(h.RetryEvents.Single()), Is.EqualTo(7000));
            Assert.That(h.RetryEvents.Single().Message, Does.Contain("429"));
            Assert.That(h.RetryEvents.Single().Timestamp, Is.EqualTo(ResilienceHarness.Epoch), "log records carry the fake clock's time, which RetryDue relies on");
            Assert.That(requestsBeforeTheWaitEnds, Is.EqualTo(1), "no retry before Retry-After elapsed");
            Assert.That(h.Requests, Is.EqualTo(2));
            Assert.That(h.Time.GetUtcNow() - ResilienceHarness.Epoch, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(7)));
        });
    }

    [Test]
    public async Task Retry_after_as_an_http_date_is_the_wait_used([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        var at = ResilienceHarness.Epoch.AddSeconds(12).ToString("R", CultureInfo.InvariantCulture);
        h.FailThenSucceed(1, () => ResilienceHarness.Status(503).WithHeader("Retry-After", at));

        var call = h.Client.GetResourcesAsync();
        await ResilienceHarness.WaitUntilAsync(() => h.RetryEvents.Count == 1, "the retry is scheduled");
        await Task.Delay(20);
        h.Time.Advance(TimeSpan.FromSeconds(11.9));
        await Task.Delay(50);
        var requestsBeforeTheWaitEnds = h.Requests;
        await h.DriveUntilAsync(call);
        await call;

        Assert.Multiple(() =>
        {
            Assert.That(DelayMs(h.RetryEvents.Single()), Is.EqualTo(12000));
            Assert.That(requestsBeforeTheWaitEnds, Is.EqualTo(1));
            Assert.That(h.Requests, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Without_retry_after_the_wait_is_the_exponential_back_off([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o => o.RetryBaseDelay = TimeSpan.FromSeconds(2));
        h.FailThenSucceed(3, () => ResilienceHarness.Status(503));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        var delays = h.RetryEvents.Select(DelayMs).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(delays, Has.Count.EqualTo(3));
            Assert.That(delays.Min(), Is.GreaterThan(0.0));
            Assert.That(delays.Max(), Is.LessThan(60_000.0));
            Assert.That(delays.Sum(), Is.GreaterThan(2000.0), "2 s, 4 s, 8 s on average, with jitter");
            Assert.That(h.Requests, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Retry_after_longer_than_the_time_left_fails_at_once([Values] ClientKind kind, [Values(429, 503)] int status)
    {
        using var h = new ResilienceHarness(kind, o => o.TotalTimeout = TimeSpan.FromSeconds(60));
        h.Always(ResilienceHarness.Status(status).WithHeader("Retry-After", "120"));

        var task = h.Client.GetResourcesAsync();
        var ex = await CatchWithoutDrivingAsync(task);

        Assert.Multiple(() =>
        {
            Assert.That(h.Requests, Is.EqualTo(1));
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Message, Does.Contain("Leaf asked to wait 120 s (Retry-After), more than the 60 s left of TotalTimeout"));
            Assert.That(h.RetryEvents, Is.Empty);
            Assert.That(h.Time.GetUtcNow(), Is.EqualTo(ResilienceHarness.Epoch), "no time was spent waiting");
        });
    }

    [Test]
    public async Task Cancelled_before_the_call_sends_nothing([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.Always(ResilienceHarness.Status(200).WithBody(LeafJson.DocumentedExample));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Assert.That(async () => await h.Client.GetResourcesAsync(cancellationToken: cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(h.Requests, Is.Zero);
    }

    [Test]
    public async Task Cancelled_during_an_attempt_is_an_operation_cancelled_at_once([Values] ClientKind kind)
    {
        // Leaf's answer is held on the fake clock, which nothing moves: only the cancellation can end the call, so its
        // ending at all proves it did not wait for Leaf, however slow the machine.
        using var h = new ResilienceHarness(kind);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = h.Time });
        h.Options.BaseAddress = server.BaseAddress;
        h.Options.AccessToken = server.AccessToken;
        server.Latency = TimeSpan.FromMinutes(1);
        using var cts = new CancellationTokenSource();

        var call = h.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => h.AttemptsSent == 1, "the attempt is on the wire");
        await cts.CancelAsync();

        Assert.That(async () => await call.WaitAsync(TimeSpan.FromSeconds(10)), Throws.InstanceOf<OperationCanceledException>(), "the call ended with the answer still held");
        Assert.That(h.RetryEvents, Is.Empty);
        Assert.That(server.Requests, Is.Empty, "Leaf had not answered");
    }

    [Test]
    public async Task Cancelled_during_a_back_off_wait_is_an_operation_cancelled_at_once([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.Always(ResilienceHarness.Status(503).WithHeader("Retry-After", "30"));
        using var cts = new CancellationTokenSource();

        var call = h.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => h.RetryEvents.Count == 1, "the call waits before its retry");
        await cts.CancelAsync();

        // Real time only bounds a hang: the fake clock never moves, so any ending is the cancellation's.
        Assert.That(async () => await call.WaitAsync(TimeSpan.FromSeconds(10)), Throws.InstanceOf<OperationCanceledException>(), "the call ended without the fake clock moving");
        Assert.That(h.Requests, Is.EqualTo(1));
    }

    [Test]
    public async Task Circuit_opens_after_enough_failures_then_closes_after_the_break([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o =>
        {
            o.EnableCircuitBreaker = true;
            o.MaxRetries = 0;
        });
        h.Always(ResilienceHarness.Status(503));

        for (var i = 0; i < LeafResiliencePipelineFactory.BreakerMinimumThroughput; i++)
        {
            var failure = await CatchWithoutDrivingAsync(h.Client.GetResourcesAsync());
            Assert.That(failure.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        var sentBeforeOpen = h.Requests;
        var open = await CatchWithoutDrivingAsync(h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(sentBeforeOpen, Is.EqualTo(LeafResiliencePipelineFactory.BreakerMinimumThroughput));
            Assert.That(h.Requests, Is.EqualTo(sentBeforeOpen), "an open circuit sends nothing");
            Assert.That(open.Message, Does.Contain("most of its recent attempts to reach Leaf failed (circuit open)").And.Contain("was not sent"));
            Assert.That(open.StatusCode, Is.Null);
            Assert.That(open.Attempts, Is.Zero);
            Assert.That(open.IsTransient, Is.True);
        });

        h.Server.Reset();
        h.Server.Resources(LeafJson.DocumentedExample);
        h.Time.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration - TimeSpan.FromSeconds(1));
        var stillOpen = await CatchWithoutDrivingAsync(h.Client.GetResourcesAsync());
        Assert.That(stillOpen.Message, Does.Contain("circuit open"));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var response = await h.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(h.Requests, Is.EqualTo(1), "after the break, the next call goes through");
        });
    }

    [Test]
    public async Task Circuit_opening_between_the_attempts_of_a_call_says_the_call_was_not_retried([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o =>
        {
            o.EnableCircuitBreaker = true;
            o.MaxRetries = 3;
        });
        h.Always(ResilienceHarness.Status(503));

        // Two calls of four attempts each, then a call whose second attempt is the breaker's tenth failure.
        var first = await CatchAsync(h, () => h.Client.GetResourcesAsync());
        var second = await CatchAsync(h, () => h.Client.GetResourcesAsync());
        var third = await CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(first.Attempts, Is.EqualTo(4));
            Assert.That(second.Attempts, Is.EqualTo(4));
            Assert.That(h.Requests, Is.EqualTo(LeafResiliencePipelineFactory.BreakerMinimumThroughput));
            Assert.That(third.Attempts, Is.EqualTo(2));
            Assert.That(third.Message, Does.Contain("circuit open").And.Contain("was not retried after 2 attempts").And.Not.Contain("was not sent"));
            Assert.That(third.IsTransient, Is.True);
        });
    }

    [Test]
    public async Task Circuit_breaker_off_never_opens([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o =>
        {
            o.EnableCircuitBreaker = false;
            o.MaxRetries = 0;
        });
        h.Always(ResilienceHarness.Status(503));

        for (var i = 0; i < LeafResiliencePipelineFactory.BreakerMinimumThroughput * 2; i++)
        {
            var failure = await CatchWithoutDrivingAsync(h.Client.GetResourcesAsync());
            Assert.That(failure.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        Assert.That(h.Requests, Is.EqualTo(LeafResiliencePipelineFactory.BreakerMinimumThroughput * 2));
    }

    internal static double DelayMs(Microsoft.Extensions.Logging.Testing.FakeLogRecord record) =>
        double.Parse(record.StructuredState!.Single(p => p.Key == "DelayMs").Value!, CultureInfo.InvariantCulture);

    private static byte[] SlowBytes(Slowness slowness) => slowness switch
    {
        Slowness.NoAnswer => [],
        _ => RawHttpServer.StalledBody,
    };

    private static byte[]? ResetBytes(ResetPoint point) => point switch
    {
        ResetPoint.BeforeAnyByte => null,
        ResetPoint.AfterHeaders => RawHttpServer.HeadersOnly,
        _ => RawHttpServer.StalledBody,
    };

    private static byte[]? FaultBytes(TransportFault fault) => fault switch
    {
        TransportFault.ClosedWithoutAnswer => null,
        _ => RawHttpServer.MalformedChunk,
    };

    internal static async Task<LeafApiException> CatchAsync(ResilienceHarness h, Func<Task<SyncSummaryResponse>> call, TimeSpan? step = null, Func<bool>? gate = null)
    {
        try
        {
            await h.DriveAsync(call, step, gate);
        }
        catch (LeafApiException ex)
        {
            return ex;
        }

        Assert.Fail("Expected a LeafApiException, but the call succeeded.");
        return null!;
    }

    /// <summary>The call's failure, without moving the fake clock; real time only bounds a hang.</summary>
    internal static async Task<LeafApiException> CatchWithoutDrivingAsync(Task<SyncSummaryResponse> call)
    {
        try
        {
            await call.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (LeafApiException ex)
        {
            return ex;
        }

        Assert.Fail("Expected a LeafApiException, but the call succeeded.");
        return null!;
    }
}
