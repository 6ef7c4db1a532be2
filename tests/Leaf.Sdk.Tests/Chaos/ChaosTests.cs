using System.Globalization;
using System.Text;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Chaos;

/// <summary>
/// Seeded chaos over a raw socket: each case answers every attempt of one call with a fault or a valid answer drawn
/// from <see cref="WireFault"/>, and checks what the client made of the sequence: the call ends, with the documented
/// example or a <see cref="LeafApiException"/> whose status and transience fit the fault that ended it, after exactly
/// as many requests as the retry rule allows, and with no connection left open. Deterministic per seed; time-outs and
/// Retry-After waits elapse on a fake clock.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ChaosTests
{
    private const int MaxRetries = 2;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(100);
    private static readonly WireFault[] Faults = Enum.GetValues<WireFault>();

    public enum Sharing
    {
        /// <summary>A new server and client per case: nothing carries over.</summary>
        ClientPerCase,

        /// <summary>One client for every case, its pool reused; every connection closes after its answer.</summary>
        SharedClient,

        /// <summary>One client for every case; answers that are well framed keep their connection for the next request.</summary>
        SharedClientKeepAlive,
    }

    [Test]
    public async Task Random_fault_sequences_end_as_the_retry_rule_says(
        [Values] ClientKind kind, [Values] Sharing sharing, [Values(20261127, 7)] int seed)
    {
        const int Cases = 150;
        var random = new Random(seed);
        var failures = new List<string>();
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            lock (unobserved)
            {
                unobserved.Add(e.Exception);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            World? shared = sharing == Sharing.ClientPerCase ? null : new World(kind, sharing == Sharing.SharedClientKeepAlive);
            for (var i = 0; i < Cases; i++)
            {
                var faults = Enumerable.Range(0, MaxRetries + 1).Select(_ => Faults[random.Next(Faults.Length)]).ToArray();
                string? problem;
                if (shared is null)
                {
                    using var world = new World(kind, keepAlive: false);
                    problem = await world.RunCaseAsync(faults);
                    problem ??= await world.EndAsync();
                }
                else
                {
                    problem = await shared.RunCaseAsync(faults);
                }

                if (problem is not null)
                {
                    failures.Add($"case {i} [{string.Join(", ", faults)}]: {problem}");
                }
            }

            if (shared is not null)
            {
                if (await shared.EndAsync() is { } problem)
                {
                    failures.Add($"at the end: {problem}");
                }

                shared.Dispose();
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, failures.Take(30)));
            Assert.That(unobserved.Where(e => e.ToString().Contains("Leaf.Sdk", StringComparison.Ordinal)), Is.Empty);
        });
    }

    /// <summary>A server, a fake clock and a client of one kind; cases run one after another.</summary>
    internal sealed class World : IDisposable
    {
        private readonly bool _keepAlive;
        private readonly ClientKind _kind;
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        private readonly TestClient _client;
        private readonly FakeLoggerProvider _logs = new();
        private readonly ILoggerFactory _loggerFactory;
        private WireFault[] _faults = [WireFault.Ok];
        private int _last; // the latest fault served, read by the clock driver
        private bool _disposed;

        public World(ClientKind kind, bool keepAlive)
        {
            _keepAlive = keepAlive;
            _kind = kind;
            Server = new ChaosServer(Serve);
            _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
            _client = TestClient.Create(kind, new LeafClientOptions
            {
                BaseAddress = Server.Url,
                AccessToken = Stub.Token,
                MaxRetries = MaxRetries,
                RetryBaseDelay = TimeSpan.Zero,
                AttemptTimeout = AttemptTimeout,
                TotalTimeout = TimeSpan.FromHours(1),
                // Shared across many failing cases, the breaker would open: that is FaultMatrixTests' subject, not this.
                EnableCircuitBreaker = false,
            }, _time, _loggerFactory);
        }

        public ChaosServer Server { get; }

        private ChaosReply Serve(int n)
        {
            var fault = _faults[Math.Min(n, _faults.Length) - 1];
            Volatile.Write(ref _last, (int)fault);
            return WireFaults.Reply(fault, _keepAlive);
        }

        /// <summary>Runs one call against <paramref name="faults"/> (one per attempt); null when all is well, else what was wrong.</summary>
        public async Task<string?> RunCaseAsync(WireFault[] faults)
        {
            _faults = faults;
            _logs.Collector.Clear();
            Server.Restart(Serve);
            var expected = Expect(faults);
            SyncSummaryResponse? response = null;
            Exception? error = null;
            // Read before the call starts: on a pooled connection its request may be out, and stalled, before it returns.
            var stallsDriven = Server.Stalls;
            var call = _client.Client.GetResourcesAsync();
            var deadline = Environment.TickCount64 + 10_000;
            while (!call.IsCompleted)
            {
                if (Environment.TickCount64 > deadline)
                {
                    return $"the call did not end within 10 s (server saw {Server.Requests} requests, {Server.Open} open, {Server.Holding} holding, {Server.Stalls} stalls, {stallsDriven} driven, last {(WireFault)_last}, clock +{_time.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)}) {string.Join(" | ", _logs.Collector.GetSnapshot().TakeLast(12).Select(r => $"{r.Timestamp:mm:ss.fff} {r.Category} {r.Message}"))}";
                }

                if (Server.Stalls > stallsDriven && Server.Holding > 0 && Environment.TickCount64 - Server.HoldingSince >= 30)
                {
                    // Once per stall: the attempt's own time-out, no further, so the next attempt keeps its whole time.
                    stallsDriven = Server.Stalls;
                    _time.Advance(AttemptTimeout);
                }
                else if (Server.Holding == 0 && (WireFault)Volatile.Read(ref _last) is WireFault.ServiceUnavailableRetryAfter or WireFault.TooManyRequestsRetryAfter)
                {
                    // A Retry-After wait (1 s); a step can only land inside an attempt if that attempt sits unanswered for
                    // AttemptTimeout / 1 s = 100 steps, which a loopback answer does not.
                    _time.Advance(TimeSpan.FromSeconds(1));
                }

                await Task.WhenAny(call, Task.Delay(1));
            }

            try
            {
                response = await call;
            }
            catch (Exception ex)
            {
                error = ex;
            }

            var problems = new List<string>();
            if (!_keepAlive && await Server.WaitAllClosedAsync() is { } open)
            {
                // Every connection ends: the server closes its own, a stalled one must be closed by the client.
                problems.Add($"{open} connection(s) still open after the call");
            }

            if (_keepAlive)
            {
                var holdDeadline = Environment.TickCount64 + 3_000;
                while (Server.Holding > 0 && Environment.TickCount64 < holdDeadline)
                {
                    await Task.Delay(2);
                }

                if (Server.Holding > 0)
                {
                    problems.Add($"{Server.Holding} stalled connection(s) still held 3 s after the call");
                }
            }

            if (Server.Requests != expected.Requests)
            {
                problems.Add($"server saw {Server.Requests} requests, expected {expected.Requests}");
            }

            if (expected.Verdict == Verdict.Success)
            {
                if (response is null)
                {
                    problems.Add($"expected success, got {Describe(error)}");
                }
                else if (response.Summaries.Count != 1 || response.Summaries[0].Provider != Provider.JohnDeere || response.Summaries[0].Fields != 100 || response.Message != "SUCCESS")
                {
                    problems.Add("success with the wrong summaries");
                }
            }
            else if (error is not LeafApiException leaf)
            {
                problems.Add($"expected a LeafApiException ({expected.Verdict}), got {(response is null ? Describe(error) : "success")}");
            }
            else
            {
                var status = leaf.StatusCode is { } s ? (int?)(int)s : null;
                var transient = expected.Verdict is Verdict.Network or Verdict.AttemptTimeout or Verdict.TransientStatus;
                if (status != expected.Status)
                {
                    problems.Add($"StatusCode {status?.ToString(CultureInfo.InvariantCulture) ?? "null"}, expected {expected.Status?.ToString(CultureInfo.InvariantCulture) ?? "null"}");
                }

                if (leaf.IsTransient != transient)
                {
                    problems.Add($"IsTransient {leaf.IsTransient}, expected {transient}");
                }

                if ((expected.Verdict == Verdict.Unauthorized) != (leaf is LeafAuthenticationException))
                {
                    problems.Add($"{leaf.GetType().Name} for {expected.Verdict}");
                }

                if (leaf.Attempts != expected.Requests)
                {
                    problems.Add($"Attempts {leaf.Attempts}, expected {expected.Requests}");
                }

                if (problems.Count > 0)
                {
                    problems.Add($"got {Describe(leaf)}");
                }
            }

            return problems.Count == 0 ? null : string.Join("; ", problems);
        }

        /// <summary>Disposes the client; then every connection must close. Null when they do, else what was left.</summary>
        public async Task<string?> EndAsync()
        {
            _client.Dispose();
            if (_kind == ClientKind.DependencyInjection && _keepAlive)
            {
                // IHttpClientFactory does not dispose its handlers with the container (dotnet/runtime#113494): their
                // idle pooled connections close when the handler expires and is collected. None may be mid-answer.
                await Task.Delay(50);
                return Server.Holding > 0 ? $"{Server.Holding} stalled connection(s) still held after the client was disposed" : null;
            }

            return await Server.WaitAllClosedAsync() is { } open ? $"{open} connection(s) still open after the client was disposed" : null;
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _client.Dispose();
                Server.Dispose();
                _loggerFactory.Dispose();
                _logs.Dispose();
            }
        }
    }

    /// <summary>What the retry rule makes of a sequence: how many requests, and the verdict of the last.</summary>
    internal static (int Requests, Verdict Verdict, int? Status) Expect(WireFault[] faults)
    {
        for (var i = 0; ; i++)
        {
            var verdict = WireFaults.VerdictOf(faults[i]);
            var retried = verdict is Verdict.Network or Verdict.AttemptTimeout or Verdict.TransientStatus;
            if (!retried || i == MaxRetries)
            {
                return (i + 1, verdict, WireFaults.StatusOf(faults[i]));
            }
        }
    }

    private static string Describe(Exception? ex)
    {
        if (ex is null)
        {
            return "nothing";
        }

        var text = new StringBuilder(ex.GetType().Name).Append(": ").Append(ex.Message);
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" <- ").Append(inner.GetType().Name).Append(": ").Append(inner.Message);
        }

        return text.ToString();
    }
}
