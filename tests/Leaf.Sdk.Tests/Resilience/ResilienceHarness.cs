using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// One test's world: a WireMock server, a fake clock, a log collector and a client of the given kind. Everything is
/// per test, so tests run in parallel.
/// </summary>
internal sealed class ResilienceHarness : IDisposable
{
    /// <summary>A whole second, so an HTTP-date Retry-After (second precision) maps to an exact wait.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string ProblemBody = """{"type":"about:blank","title":"Service trouble","status":503,"detail":"Try again later","errorKey":"error.test"}""";

    private readonly ILoggerFactory _loggerFactory;
    private TestClient? _client;

    public ResilienceHarness(ClientKind kind, Action<LeafClientOptions>? configure = null, bool fakeTime = true, Uri? baseAddress = null)
    {
        Kind = kind;
        Server = Stub.Start();
        Time = new TimerWatchingTimeProvider(Epoch);
        // Records carry the fake clock's time, so a retry's back-off end can be read off its "Retrying" event.
        Logs = new FakeLoggerProvider(new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions { TimeProvider = Time })));
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        Options = Stub.Options(Server, maxRetries: 3);

        // Long enough that the fake clock, advanced while a real request is in flight, never times an attempt out.
        Options.AttemptTimeout = TimeSpan.FromSeconds(30);
        Options.TotalTimeout = TimeSpan.FromMinutes(5);
        Options.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
        if (baseAddress is not null)
        {
            Options.BaseAddress = baseAddress;
        }

        configure?.Invoke(Options);
        UsesFakeTime = fakeTime;
    }

    public ClientKind Kind { get; }

    public WireMockServer Server { get; }

    public TimerWatchingTimeProvider Time { get; }

    public FakeLoggerProvider Logs { get; }

    public LeafClientOptions Options { get; }

    public bool UsesFakeTime { get; }

    /// <summary>Requests the WireMock server has answered on the Sync Summary path.</summary>
    public int Requests => Server.LogEntries.Count(e => e.RequestMessage?.Path == Stub.ResourcesPath);

    /// <summary>The client, built on first use so a test can still change <see cref="Options"/>.</summary>
    public IIntegrationsClient Client => (_client ??= TestClient.Create(Kind, Options, UsesFakeTime ? Time : TimeProvider.System, _loggerFactory, Services)).Client;

    public Action<IServiceCollection>? Services { get; set; }

    /// <summary>The SDK's "Retrying ..." events, in order.</summary>
    public IReadOnlyList<FakeLogRecord> RetryEvents =>
        [.. Logs.Collector.GetSnapshot().Where(r => r.Id.Id == 2 && r.Category == "Leaf.Sdk.Resilience")];

    /// <summary>Fails <paramref name="failures"/> times with <paramref name="failure"/>, then answers Leaf's documented example.</summary>
    public void FailThenSucceed(int failures, Func<IResponseBuilder> failure)
    {
        const string scenario = "fail-then-succeed";
        for (var i = 0; i < failures; i++)
        {
            var given = Server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario(scenario);
            if (i > 0)
            {
                given = given.WhenStateIs($"failed-{i}");
            }

            given.WillSetStateTo($"failed-{i + 1}").RespondWith(failure());
        }

        // The success keeps its state: a mapping without a next state would send the scenario back to the start.
        Server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario(scenario)
            .WhenStateIs($"failed-{failures}").WillSetStateTo($"failed-{failures}")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
    }

    /// <summary>Always answers with <paramref name="response"/>.</summary>
    public void Always(IResponseBuilder response) =>
        Server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).RespondWith(response);

    public static IResponseBuilder Status(int status) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/problem+json").WithBody(ProblemBody.Replace("503", status.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    /// <summary>
    /// Runs a call while moving the fake clock forward in small steps, so back-off waits and time-outs elapse at once.
    /// Real time is bounded: a call that does not finish is a hang, and fails the test.
    /// </summary>
    /// <param name="call">The call to run.</param>
    /// <param name="step">How far to move the clock per step; 100 ms unless given.</param>
    /// <param name="gate">
    /// The clock moves only while this holds. By default: while no attempt is in flight, so only back-off waits
    /// elapse and a slow machine cannot make a real request look like an attempt time-out.
    /// </param>
    public async Task<T> DriveAsync<T>(Func<Task<T>> call, TimeSpan? step = null, Func<bool>? gate = null)
    {
        var task = call();
        await DriveUntilAsync(task, step, gate);
        return await task;
    }

    /// <summary>Attempts the SDK has started (its "Sending" debug events).</summary>
    public int AttemptsSent => Logs.Collector.GetSnapshot().Count(r => r.Id.Id == 1 && r.Category == "Leaf.Sdk.Authentication");

    /// <summary>Polly's "Execution attempt" records, in order: one per attempt whose outcome its retry strategy has seen.</summary>
    public IReadOnlyList<FakeLogRecord> PollyAttemptEvents => [.. Logs.Collector.GetSnapshot().Where(IsPollyAttempt)];

    /// <summary>Attempts whose outcome Polly's retry strategy has seen (its "Execution attempt" telemetry).</summary>
    public int AttemptsCompleted => Logs.Collector.GetSnapshot().Count(IsPollyAttempt);

    /// <summary>No attempt is on the wire: the call is waiting on the clock (a back-off) or done.</summary>
    public bool NoAttemptInFlight() => AttemptsCompleted >= AttemptsSent;

    /// <summary>
    /// A retry's back-off has run out but its attempt has not been sent yet. The clock must wait for it: on a loaded
    /// machine the retry may not get a thread for a while, and moving on would eat the next attempt's time.
    /// </summary>
    public bool RetryDue()
    {
        var retries = RetryEvents;
        if (retries.Count == 0 || AttemptsSent > retries.Count)
        {
            return false;
        }

        var last = retries[^1];
        var delayMs = double.Parse(last.StructuredState!.First(kv => kv.Key == "DelayMs").Value!, System.Globalization.CultureInfo.InvariantCulture);
        return Time.GetUtcNow() >= last.Timestamp + TimeSpan.FromMilliseconds(delayMs);
    }

    private static bool IsPollyAttempt(FakeLogRecord r) =>
        r.Category == "Polly" && r.Message.StartsWith("Execution attempt", StringComparison.Ordinal);

    /// <summary>A gate that always lets the clock move, for tests where time must pass while a request is on the wire.</summary>
    public static bool AnyTime() => true;

    /// <summary>Drives the fake clock until <paramref name="task"/> completes (not awaiting its result).</summary>
    public async Task DriveUntilAsync(Task task, TimeSpan? step = null, Func<bool>? gate = null)
    {
        var stepBy = step ?? TimeSpan.FromMilliseconds(100);
        gate ??= NoAttemptInFlight;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        DateTime? heldSince = null;
        while (!task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The call did not finish within 20 s of real time (fake clock at +{Time.GetUtcNow() - Epoch}).");
            }

            if (UsesFakeTime && gate())
            {
                // RetryDue reads a back-off's end off its "Retrying" event, but Polly starts the back-off's timer just
                // after that event. If the clock moved in between (a busy machine), the timer is due a step later than
                // the event says, and a hold would wait for it forever: so a hold gives way to one more step after
                // half a second of real time. A retry merely waiting for a thread loses one step per half second.
                if (!RetryDue() || DateTime.UtcNow - (heldSince ??= DateTime.UtcNow) > TimeSpan.FromMilliseconds(500))
                {
                    heldSince = null;
                    Time.Advance(stepBy);
                }
            }

            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Drives the fake clock until <paramref name="task"/> completes (not awaiting its result), moving it only to the
    /// exact end of each retry's back-off, once its timer is waiting: never while an attempt is in flight, never before
    /// the first attempt or between a back-off's end and the next attempt, never past the end of a back-off. So a call's
    /// time-outs see only the back-offs it chose, however slowly a busy machine runs it.
    /// </summary>
    public async Task DriveBackOffsUntilAsync(Task task)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The call did not finish within 20 s of real time (fake clock at +{Time.GetUtcNow() - Epoch}).");
            }

            var retries = RetryEvents;
            if (retries.Count > 0 && retries.Count == AttemptsSent && NoAttemptInFlight())
            {
                var delayMs = double.Parse(retries[^1].StructuredState!.First(kv => kv.Key == "DelayMs").Value!, System.Globalization.CultureInfo.InvariantCulture);
                if (Time.UntilTimerSetFor(TimeSpan.FromMilliseconds(delayMs)) is { } left)
                {
                    Time.Advance(left);
                }
            }

            await Task.Delay(1);
        }
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(5);
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _loggerFactory.Dispose();
        Logs.Dispose();

        // WireMock's stop waits for replies still held by WithDelay; nothing needs that wait, so it runs on its own.
        var server = Server;
        _ = Task.Run(() =>
        {
            server.Stop();
            server.Dispose();
        });
    }
}
