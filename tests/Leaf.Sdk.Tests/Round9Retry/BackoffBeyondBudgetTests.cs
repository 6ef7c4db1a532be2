using System.Net;
using Leaf.Sdk.Http;
using Leaf.Sdk.Resilience;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Leaf.Sdk.Tests.Round9Retry;

/// <summary>
/// A back-off longer than what is left of TotalTimeout is not waited: the call ends at once with what ended its last
/// attempt (Leaf's answer, a network error, an attempt time-out), saying why it was not retried, as a Retry-After that
/// long already did. Before, the call slept into TotalTimeout and ended with the time-out error instead.
/// </summary>
/// <remarks>
/// The clients here run on a fake clock that nothing moves: a call that waited before a retry would never end, so one
/// that ends at all did not wait. With RetryBaseDelay 1 min and TotalTimeout 10 ms, the jittered first back-off would
/// have to draw a number under 1.4e-8 to fit.
/// </remarks>
[Parallelizable(ParallelScope.All)]
public sealed class BackoffBeyondBudgetTests
{
    private const string NotRetried = "Not retried: the back-off before the next attempt (";

    private static void Tight(LeafClientOptions o)
    {
        o.MaxRetries = 3;
        o.RetryBaseDelay = TimeSpan.FromMinutes(1);
        o.AttemptTimeout = TimeSpan.FromMilliseconds(10);
        o.TotalTimeout = TimeSpan.FromMilliseconds(10);
    }

    [Test]
    public async Task A_503_whose_back_off_outlasts_the_call_fails_at_once_with_the_503([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, Tight);
        h.Always(ResilienceHarness.Status(503));

        var ex = await FaultMatrixTests.CatchWithoutDrivingAsync(h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(1));
            Assert.That(ex.Problem?.ErrorKey, Is.EqualTo("error.test"), "Leaf's own answer, problem body and all");
            Assert.That(ex.Message, Does.StartWith("Leaf answered 503 Service Unavailable to the Sync Summary request: Service trouble"));
            Assert.That(ex.Message, Does.Contain(NotRetried).And.Contain("s, from RetryBaseDelay with jitter) is longer than the 0.01 s left of TotalTimeout"));
            Assert.That(h.Requests, Is.EqualTo(1));
            Assert.That(h.RetryEvents, Is.Empty);
            Assert.That(h.Time.GetUtcNow(), Is.EqualTo(ResilienceHarness.Epoch), "no time was spent waiting");
            Assert.That(FailedCallLog(h), Does.Contain(NotRetried), "the log says why");
        });
    }

    [Test]
    public async Task A_429_without_Retry_After_keeps_the_rate_limit_advice_and_says_why_it_was_not_retried([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, Tight);
        h.Always(ResilienceHarness.Status(429));

        var ex = await FaultMatrixTests.CatchWithoutDrivingAsync(h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(ex.Message, Does.Contain("Leaf is rate limiting; slow down or try again later. " + NotRetried));
            Assert.That(h.Requests, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_refused_connection_whose_back_off_outlasts_the_call_fails_at_once_with_the_network_error([Values] ClientKind kind)
    {
        using var closed = new ClosedPort();
        using var h = new ResilienceHarness(kind, Tight, baseAddress: closed.Url);

        var ex = await FaultMatrixTests.CatchWithoutDrivingAsync(h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.Null);
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(1));
            Assert.That(ex.Message, Does.StartWith($"Could not reach Leaf at {closed.Url.Host} for the Sync Summary request: the connection was refused. {NotRetried}"));
            Assert.That(h.Time.GetUtcNow(), Is.EqualTo(ResilienceHarness.Epoch), "no time was spent waiting");
        });
    }

    [Test]
    public async Task An_attempt_time_out_whose_back_off_outlasts_the_call_fails_at_once_with_the_attempt_time_out([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o =>
        {
            o.MaxRetries = 3;
            o.RetryBaseDelay = TimeSpan.FromMinutes(1);
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(1.5);
        });
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = h.Time });
        h.Options.BaseAddress = server.BaseAddress;
        h.Options.AccessToken = server.AccessToken;
        server.Latency = TimeSpan.FromMinutes(1);

        var call = h.Client.GetResourcesAsync();
        await ResilienceHarness.WaitUntilAsync(() => h.AttemptsSent == 1, "the attempt is on the wire");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var ex = await FaultMatrixTests.CatchWithoutDrivingAsync(call);

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.Null);
            Assert.That(ex.Attempts, Is.EqualTo(1));
            Assert.That(ex.Message, Does.StartWith("Leaf did not answer the Sync Summary request within AttemptTimeout (1 s)"));
            Assert.That(ex.Message, Does.Contain(NotRetried).And.Contain("is longer than the 0.5 s left of TotalTimeout"));
            Assert.That(h.Time.GetUtcNow() - ResilienceHarness.Epoch, Is.EqualTo(TimeSpan.FromSeconds(1)), "the call ended at the attempt time-out");
        });
    }

    [Test]
    public async Task A_login_answered_503_whose_back_off_outlasts_the_login_fails_at_once_with_the_503([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o =>
        {
            Tight(o);
            o.AccessToken = null;
            o.Username = AuthStub.Username;
            o.Password = AuthStub.Password;
        });
        h.Server.Login(503, AuthStub.Problem(503, "Service Unavailable", "Leaf is down"));

        var ex = await FaultMatrixTests.CatchWithoutDrivingAsync(h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ex.Message, Does.StartWith("Leaf answered 503 Service Unavailable to the login: Leaf is down."));
            Assert.That(ex.Message, Does.Contain(NotRetried));
            Assert.That(h.Server.LoginRequests(), Is.EqualTo(1));
            Assert.That(h.Requests, Is.Zero);
            Assert.That(h.Time.GetUtcNow(), Is.EqualTo(ResilienceHarness.Epoch), "no time was spent waiting");
        });
    }

    // The same decision at the pipeline, with the jitter fixed: a back-off that fits (0.43 x RetryBaseDelay) is waited,
    // as long as the SDK drew it (the fake clock's timers keep whole milliseconds); one that does not (1.27 x) is not.
    // Retry only, so the back-off is the only timer.
    [TestCase(0.1, true)]
    [TestCase(0.9, false)]
    public async Task The_pipeline_retries_exactly_when_the_drawn_back_off_fits(double number, bool retries)
    {
        var time = new TimerCountingTimeProvider(ResilienceHarness.Epoch);
        var options = new LeafClientOptions { MaxRetries = 1, RetryBaseDelay = TimeSpan.FromSeconds(10), AttemptTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(10), EnableCircuitBreaker = false };
        double previous = 0;
        var backoff = JitteredBackoff.Next(0, options.RetryBaseDelay, ref previous, () => number);
        Assert.That(backoff < options.TotalTimeout, Is.EqualTo(retries), "the case's premise");
        var pipeline = LeafResiliencePipelineFactory.Create(options, forLogin: false, time, NullLoggerFactory.Instance, LeafPipelineParts.Retry, () => number);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.withleaf.io/services/integrations/api/resources");
        var state = new CallState(time.GetTimestamp());
        request.Options.Set(CallState.OptionsKey, state);
        var attempts = 0;

        var execution = pipeline.ExecuteOutcomeAsync(
            (_, _) =>
            {
                attempts++;
                return ValueTask.FromResult(Outcome.FromResult(new HttpResponseMessage(attempts == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK) { RequestMessage = request }));
            },
            ResilienceContextPool.Shared.Get(),
            0).AsTask();
        if (retries)
        {
            await ResilienceHarness.WaitUntilAsync(() => time.TimersCreated == 1, "the back-off has begun");
            time.Advance(backoff - TimeSpan.FromMilliseconds(1));
            await Task.Delay(50);
            Assert.That(attempts, Is.EqualTo(1), "still waiting a millisecond before the drawn back-off ends");
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        using var last = (await execution.WaitAsync(TimeSpan.FromSeconds(10))).Result;

        Assert.Multiple(() =>
        {
            Assert.That(attempts, Is.EqualTo(retries ? 2 : 1));
            Assert.That(last?.StatusCode, Is.EqualTo(retries ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable));
            Assert.That(state.Retries?.Next, Is.EqualTo(backoff));
            Assert.That(state.Retries?.Refused, Is.EqualTo(retries ? null : new RetryWaits.BeyondBudget(backoff, options.TotalTimeout, RetryAfter: false)));
        });
    }

    [Test]
    public async Task A_call_that_goes_well_leaves_no_retry_state_behind()
    {
        var options = new LeafClientOptions { MaxRetries = 3 };
        var pipeline = LeafResiliencePipelineFactory.Create(options, forLogin: false, TimeProvider.System, NullLoggerFactory.Instance, random: () => throw new AssertionException("no back-off is drawn for a success"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.withleaf.io/services/integrations/api/resources");
        var state = new CallState(TimeProvider.System.GetTimestamp());
        request.Options.Set(CallState.OptionsKey, state);

        using var response = (await pipeline.ExecuteOutcomeAsync(
            (_, _) => ValueTask.FromResult(Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request })),
            ResilienceContextPool.Shared.Get(),
            0)).Result;

        Assert.That(state.Retries, Is.Null);
    }

    private static string FailedCallLog(ResilienceHarness h) =>
        h.Logs.Collector.GetSnapshot().Single(r => r.Id.Id == 8 && r.Level == LogLevel.Error).Message;
}
