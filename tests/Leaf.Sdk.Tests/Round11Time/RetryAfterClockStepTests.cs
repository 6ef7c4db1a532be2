using System.Globalization;
using System.Net;
using Leaf.Sdk.Tests.TestSupport;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Leaf.Sdk.Tests.Round11Time;

/// <summary>
/// A Retry-After date is read once, against the wall clock, when Leaf's answer arrives; the wait itself, and what is
/// left of TotalTimeout, are timed on the monotonic clock. So the wall clock stepping either way during the wait (or
/// during the attempt) changes neither when the retry goes nor whether it is made.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RetryAfterClockStepTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_retry_after_date_is_waited_for_on_the_timers_whatever_the_wall_clock_does_meanwhile([Values] ClientKind kind)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        FailOnceThenServe(server, _ => Unavailable(retryAfter: clock.GetUtcNow().AddSeconds(10).ToString("R", CultureInfo.InvariantCulture)));
        using var client = TestClient.Create(kind, Options(server), clock);

        var call = client.Client.GetResourcesAsync();
        await SteppingClock.WaitUntilAsync(() => clock.TimersDue(TimeSpan.FromSeconds(10)) == 1 || call.IsCompleted, "the 10 s wait has begun");

        clock.Step(TimeSpan.FromHours(-1));
        clock.Advance(TimeSpan.FromSeconds(9.9));
        clock.Step(TimeSpan.FromDays(1));
        await Task.Delay(50);
        var sentBeforeTheWaitEnded = Requests(server);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        var response = await call.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Empty);
            Assert.That(sentBeforeTheWaitEnded, Is.EqualTo(1), "no retry before 10 s had passed, a day's step forward notwithstanding");
            Assert.That(Requests(server), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_wall_clock_step_forward_during_the_attempt_does_not_use_up_TotalTimeout([Values] ClientKind kind)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        FailOnceThenServe(server, _ =>
        {
            // While Leaf is answering, the machine's clock jumps a day ahead.
            clock.Step(TimeSpan.FromDays(1));
            return Unavailable(retryAfter: "5");
        });
        using var client = TestClient.Create(kind, Options(server), clock);

        var call = client.Client.GetResourcesAsync();
        await SteppingClock.WaitUntilAsync(() => clock.TimersDue(TimeSpan.FromSeconds(5)) == 1 || call.IsCompleted, "the 5 s wait has begun");
        clock.Advance(TimeSpan.FromSeconds(5));
        var response = await call.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Empty, "the retry was made: 5 s of the 60 s were left, not minus a day");
            Assert.That(Requests(server), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_retry_after_date_already_past_is_retried_at_once([Values] ClientKind kind)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        FailOnceThenServe(server, _ => Unavailable(retryAfter: clock.GetUtcNow().AddHours(-1).ToString("R", CultureInfo.InvariantCulture)));
        using var client = TestClient.Create(kind, Options(server), clock);

        // The clock never moves: only a wait of zero lets the retry go.
        var response = await client.Client.GetResourcesAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Empty);
            Assert.That(Requests(server), Is.EqualTo(2));
        });
    }

    [TestCase(ClientKind.Standalone, "Fri, 31 Dec 9999 23:59:59 GMT")]
    [TestCase(ClientKind.DependencyInjection, "Fri, 31 Dec 9999 23:59:59 GMT")]
    [TestCase(ClientKind.Standalone, "2147483647")]
    [TestCase(ClientKind.DependencyInjection, "2147483647")]
    public async Task A_retry_after_at_the_end_of_time_fails_at_once_and_says_why(ClientKind kind, string retryAfter)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        FailOnceThenServe(server, _ => Unavailable(retryAfter));
        using var client = TestClient.Create(kind, Options(server), clock);

        var ex = await Assert.ThrowsAsync<LeafApiException>(async () => await client.Client.GetResourcesAsync().WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(1));
            Assert.That(ex.Message, Does.Match(@"Leaf asked to wait \d+ s \(Retry-After\), more than the 60 s left of TotalTimeout"));
            Assert.That(Requests(server), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task The_time_left_a_refusal_quotes_is_read_off_the_clients_clock_not_the_wall([Values] ClientKind kind)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        FailOnceThenServe(server, _ =>
        {
            // Leaf takes 45 s to answer by the client's clock, and the wall clock steps a day ahead meanwhile.
            clock.Advance(TimeSpan.FromSeconds(45));
            clock.Step(TimeSpan.FromDays(1));
            return Unavailable(retryAfter: "20");
        });
        var options = Options(server);
        options.AttemptTimeout = options.TotalTimeout; // the 45 s is Leaf's answer, not an attempt time-out
        using var client = TestClient.Create(kind, options, clock);

        var ex = await Assert.ThrowsAsync<LeafApiException>(async () => await client.Client.GetResourcesAsync().WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.That(ex!.Message, Does.Contain("Leaf asked to wait 20 s (Retry-After), more than the 15 s left of TotalTimeout"));
    }

    private static LeafClientOptions Options(WireMockServer server)
    {
        var options = Stub.Options(server, maxRetries: 2);
        options.RetryBaseDelay = TimeSpan.FromSeconds(1);
        options.AttemptTimeout = TimeSpan.FromSeconds(30);
        options.TotalTimeout = TimeSpan.FromSeconds(60);
        return options;
    }

    private static int Requests(WireMockServer server) => server.LogEntries.Count(e => e.RequestMessage?.Path == Stub.ResourcesPath);

    private static ResponseMessage Unavailable(string retryAfter) => new()
    {
        StatusCode = 503,
        Headers = new Dictionary<string, WireMockList<string>>
        {
            ["Content-Type"] = new("application/json"),
            ["Retry-After"] = new(retryAfter),
        },
        BodyData = new BodyData { BodyAsString = """{"title":"Service Unavailable","status":503}""", DetectedBodyType = BodyType.String },
    };

    /// <summary>The first Sync Summary request gets <paramref name="failure"/>'s answer, every later one Leaf's example.</summary>
    private static void FailOnceThenServe(WireMockServer server, Func<IRequestMessage, ResponseMessage> failure)
    {
        var served = 0;
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(request => Interlocked.Increment(ref served) == 1
                ? failure(request)
                : new ResponseMessage
                {
                    StatusCode = 200,
                    Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
                    BodyData = new BodyData { BodyAsString = LeafJson.DocumentedExample, DetectedBodyType = BodyType.String },
                }));
    }
}
