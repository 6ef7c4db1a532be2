using System.Net;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round6Fake;

/// <summary>The fault switches refuse values that simulate nothing, and do exactly what they say with the rest.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafServerFaultInputTests
{
    [TestCase(HttpStatusCode.OK)]
    [TestCase(HttpStatusCode.NoContent)]
    [TestCase(HttpStatusCode.Found)]
    [TestCase((HttpStatusCode)99)]
    [TestCase((HttpStatusCode)600)]
    public void Fail_next_refuses_a_status_that_is_no_failure(HttpStatusCode status)
    {
        using var server = FakeLeafServer.Start();

        // Before, FailNext(1, OK) answered 200 with a problem body, which the client read as a success with no summaries.
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => server.FailNext(1, status));

        Assert.That(ex!.ParamName, Is.EqualTo("status"));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase((HttpStatusCode)599)]
    public async Task Fail_next_answers_any_error_status(HttpStatusCode status)
    {
        using var server = FakeLeafServer.Start();
        server.FailNext(1, status);
        using var http = new HttpClient();

        using var failed = await SendAsync(http, server);
        using var next = await SendAsync(http, server);

        Assert.Multiple(() =>
        {
            Assert.That(failed.StatusCode, Is.EqualTo(status));
            Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { (int)status, 200 }));
        });
    }

    [Test]
    public void Rate_limit_refuses_a_negative_retry_after()
    {
        using var server = FakeLeafServer.Start();

        // Before, the answer carried "Retry-After: -5", which no server sends and HTTP does not allow.
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => server.RateLimitNext(1, TimeSpan.FromSeconds(-5)));

        Assert.That(ex!.ParamName, Is.EqualTo("retryAfter"));
    }

    [Test]
    public async Task Rate_limit_of_zero_asks_for_no_wait()
    {
        using var server = FakeLeafServer.Start();
        server.RateLimitNext(1, TimeSpan.Zero);
        using var http = new HttpClient();

        using var limited = await SendAsync(http, server);

        Assert.Multiple(() =>
        {
            Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public void Fault_counts_are_checked_before_anything_is_scheduled()
    {
        using var server = FakeLeafServer.Start();

        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => server.FailNext(-1))!.ParamName, Is.EqualTo("count"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => server.RateLimitNext(-1, TimeSpan.FromSeconds(1)))!.ParamName, Is.EqualTo("count"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => server.FailNext(1, HttpStatusCode.OK))!.ParamName, Is.EqualTo("status"));
        });
        Assert.That(server.Requests, Is.Empty);
    }

    [TestCase(-2)]
    [TestCase(-1000)]
    [TestCase(4_294_967_295L)]
    [TestCase(100L * 24 * 60 * 60 * 1000)]
    public void Latency_refuses_what_no_clock_can_wait(long milliseconds)   // -1 ms is Timeout.InfiniteTimeSpan: see below
    {
        using var server = FakeLeafServer.Start();

        // Before, a negative latency was ignored without a word, and one over ~49.7 days made every answer a 500.
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => server.Latency = TimeSpan.FromMilliseconds(milliseconds));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("value"));
            Assert.That(server.Latency, Is.EqualTo(TimeSpan.Zero), "unchanged");
        });
    }

    [Test]
    public async Task Infinite_latency_holds_every_answer_until_the_server_is_disposed()
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = Timeout.InfiniteTimeSpan;
        var options = server.CreateClientOptions();
        options.MaxRetries = 0;
        using var client = new IntegrationsClient(options);

        var call = client.GetResourcesAsync();
        await Task.Delay(200);   // an infinite wait makes no timer to watch for: give the request time to arrive
        clock.Advance(TimeSpan.FromDays(365));
        await Task.Delay(50);
        var answeredBeforeDispose = call.IsCompleted || server.Requests.Count > 0;
        server.Dispose();
        Exception? failure = null;
        try
        {
            await call.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (LeafApiException ex)
        {
            // Stopping may close the connection before the released answer is written.
            failure = ex;
        }

        Assert.Multiple(() =>
        {
            Assert.That(server.Latency, Is.EqualTo(Timeout.InfiniteTimeSpan));
            Assert.That(answeredBeforeDispose, Is.False, "a year on the server's clock is not forever");
            Assert.That(call.IsCompleted, Is.True, failure?.ToString());
        });
    }

    [Test]
    public async Task Latency_changed_while_calls_run_applies_to_the_next_answer()
    {
        using var server = FakeLeafServer.Start();
        using var client = new IntegrationsClient(server.CreateClientOptions());
        using var stop = new CancellationTokenSource();

        // Writers flip the latency between 0 and 1 ms while calls run: every call must still succeed.
        var flipper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                server.Latency = server.Latency == TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : TimeSpan.Zero;
                await Task.Yield();
            }
        });
        var calls = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetResourcesAsync(leafUserId: DemoUsers.Healthy)));
        await stop.CancelAsync();
        await flipper;

        Assert.That(calls.Select(c => c.Summaries.Count), Has.All.EqualTo(4));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, FakeLeafServer server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, FakeLeafServer.ResourcesPath));
        request.Headers.Authorization = new("Bearer", server.AccessToken);
        return http.SendAsync(request);
    }
}
