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
        [Values] ClientKind kind, [Values] Sharing sharing, [Values(20261127)] int seed) =>
        await RunAsync(kind, sharing, seed, credentials: false);

    // The login is answered with faults of its own: its retries, its failures, and the renewal a 401 brings.
    [Test]
    public async Task Random_fault_sequences_with_a_login_end_as_the_retry_rule_says(
        [Values] ClientKind kind, [Values] Sharing sharing, [Values(1127)] int seed) =>
        await RunAsync(kind, sharing, seed, credentials: true);

    private static async Task RunAsync(ClientKind kind, Sharing sharing, int seed, bool credentials)
    {
        const int Cases = 120;
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

        var loginFaults = Enum.GetValues<LoginFault>();
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            World? shared = sharing == Sharing.ClientPerCase ? null : new World(kind, sharing == Sharing.SharedClientKeepAlive, credentials);
            for (var i = 0; i < Cases; i++)
            {
                // One more than the attempts, for the resend after a renewal; a login may run twice, each with its retries.
                var faults = Enumerable.Range(0, MaxRetries + 2).Select(_ => Faults[random.Next(Faults.Length)]).ToArray();
                var logins = credentials
                    ? Enumerable.Range(0, 2 * (MaxRetries + 1)).Select(_ => loginFaults[random.Next(loginFaults.Length)]).ToArray()
                    : null;
                string? problem;
                if (shared is null)
                {
                    using var world = new World(kind, keepAlive: false, credentials);
                    problem = await world.RunCaseAsync(faults, logins);
                    problem ??= await world.EndAsync();
                }
                else
                {
                    problem = await shared.RunCaseAsync(faults, logins);
                }

                if (problem is not null)
                {
                    failures.Add($"case {i} [{string.Join(", ", faults)}]{(logins is null ? string.Empty : $" login [{string.Join(", ", logins)}]")}: {problem}");
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
        private readonly bool _credentials;
        private WireFault[] _faults = [WireFault.Ok];
        private LoginFault[] _loginFaults = [LoginFault.Ok];
        private int _waiting; // 1 when the latest answer asked for a Retry-After wait, read by the clock driver
        private int _waits; // answers that asked for a Retry-After wait, so far
        private bool _hasToken;
        private bool _disposed;

        /// <param name="kind">How the client is built.</param>
        /// <param name="keepAlive">Whether well-framed answers keep their connection open.</param>
        /// <param name="credentials">Log in with a username and password (a login the server answers too), not a static token.</param>
        public World(ClientKind kind, bool keepAlive, bool credentials = false)
        {
            _keepAlive = keepAlive;
            _kind = kind;
            _credentials = credentials;
            Server = new ChaosServer(Serve);
            _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
            _client = TestClient.Create(kind, new LeafClientOptions
            {
                BaseAddress = Server.Url,
                AccessToken = credentials ? null : Stub.Token,
                Username = credentials ? Authentication.AuthStub.Username : null,
                Password = credentials ? Authentication.AuthStub.Password : null,
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
            SetWaiting(fault is WireFault.ServiceUnavailableRetryAfter or WireFault.TooManyRequestsRetryAfter);
            return WireFaults.Reply(fault, _keepAlive);
        }

        private void SetWaiting(bool waiting)
        {
            if (waiting)
            {
                Interlocked.Increment(ref _waits);
            }

            Volatile.Write(ref _waiting, waiting ? 1 : 0);
        }

        private ChaosReply ServeLogin(int n)
        {
            var fault = _loginFaults[Math.Min(n, _loginFaults.Length) - 1];
            SetWaiting(LoginFaults.HasRetryAfter(fault));
            return LoginFaults.Reply(fault, _keepAlive);
        }

        /// <summary>Runs one call against <paramref name="faults"/> (one per attempt); null when all is well, else what was wrong.</summary>
        public async Task<string?> RunCaseAsync(WireFault[] faults, LoginFault[]? loginFaults = null)
        {
            _faults = faults;
            _loginFaults = loginFaults ?? [LoginFault.Ok];
            _logs.Collector.Clear();
            Server.Restart(Serve, ServeLogin);
            var expected = _credentials ? ExpectWithLogin(faults, _loginFaults, ref _hasToken) : Expect(faults);
            SyncSummaryResponse? response = null;
            Exception? error = null;
            // Read before the call starts: on a pooled connection its request may be out, and stalled, before it returns.
            var stallsDriven = Server.Stalls;
            var call = _client.Client.GetResourcesAsync();
            var deadline = Environment.TickCount64 + 10_000;
            long lastWaitStep = 0;
            var waitFor = -1;
            var waitSteps = 0;
            while (!call.IsCompleted)
            {
                if (Environment.TickCount64 > deadline)
                {
                    return $"the call did not end within 10 s (server saw {Server.Requests} requests, {Server.Logins} logins, {Server.Open} open, {Server.Holding} holding, {Server.Stalls} stalls, {stallsDriven} driven, clock +{_time.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)}) {string.Join(" | ", _logs.Collector.GetSnapshot().TakeLast(12).Select(r => $"{r.Timestamp:mm:ss.fff} {r.Category} {r.Message}"))}";
                }

                if (Server.Stalls > stallsDriven && Server.Holding > 0 && Environment.TickCount64 - Server.HoldingSince >= 30)
                {
                    // Once per stall: the attempt's own time-out, no further, so the next attempt keeps its whole time.
                    stallsDriven = Server.Stalls;
                    _time.Advance(AttemptTimeout);
                }
                else if (Server.Holding == 0 && Volatile.Read(ref _waiting) == 1 && Environment.TickCount64 - lastWaitStep >= 10 &&
                    (waitSteps = Volatile.Read(ref _waits) == waitFor ? waitSteps + 1 : 1) <= 20)
                {
                    // A Retry-After wait (1 s). The steps for one wait are spaced and few (20 s of the clock at most), so
                    // however slowly the next attempt gets going, the clock never runs on into its AttemptTimeout.
                    waitFor = Volatile.Read(ref _waits);
                    lastWaitStep = Environment.TickCount64;
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

            if (_keepAlive && await Server.WaitNoneHeldAsync() is > 0 and var held)
            {
                problems.Add($"{held} stalled connection(s) still held {ChaosServer.CloseWait.TotalSeconds} s after the call");
            }

            if (Server.Requests != expected.Requests)
            {
                problems.Add($"server saw {Server.Requests} requests, expected {expected.Requests}");
            }

            if (Server.Logins != expected.Logins)
            {
                problems.Add($"server saw {Server.Logins} logins, expected {expected.Logins}");
            }

            if (expected.Success)
            {
                if (response is null)
                {
                    problems.Add($"expected success, got {Describe(error)}");
                }
                else if (response.Summaries.Count != expected.Summaries || response.Summaries.Any(s => s.Provider != Provider.JohnDeere || s.Fields != 100) || response.Message != "SUCCESS")
                {
                    problems.Add($"success with the wrong summaries ({response.Summaries.Count}, expected {expected.Summaries})");
                }
            }
            else if (error is not LeafApiException leaf)
            {
                problems.Add($"expected a LeafApiException ({expected.What}), got {(response is null ? Describe(error) : "success")}");
            }
            else
            {
                var status = leaf.StatusCode is { } s ? (int?)(int)s : null;
                if (status != expected.Status)
                {
                    problems.Add($"StatusCode {status?.ToString(CultureInfo.InvariantCulture) ?? "null"}, expected {expected.Status?.ToString(CultureInfo.InvariantCulture) ?? "null"}");
                }

                if (leaf.IsTransient != expected.Transient)
                {
                    problems.Add($"IsTransient {leaf.IsTransient}, expected {expected.Transient}");
                }

                if (expected.Authentication != (leaf is LeafAuthenticationException))
                {
                    problems.Add($"{leaf.GetType().Name} for {expected.What}");
                }

                if (expected.Attempts is { } attempts && leaf.Attempts != attempts)
                {
                    problems.Add($"Attempts {leaf.Attempts}, expected {attempts}");
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

    /// <summary>What a call must end with: success, or a failure of this status, transience and type.</summary>
    internal sealed record Expected(int Requests, int Logins, bool Success, int? Status, bool Transient, bool Authentication, int? Attempts, string What, int Summaries = 1);

    /// <summary>What the retry rule makes of a sequence (static token): how many requests, and the verdict of the last.</summary>
    internal static Expected Expect(WireFault[] faults)
    {
        for (var i = 0; ; i++)
        {
            var verdict = WireFaults.VerdictOf(faults[i]);
            if (!Retried(verdict) || i == MaxRetries)
            {
                return Outcome(faults[i], i + 1, logins: 0, attempts: i + 1);
            }
        }
    }

    /// <summary>
    /// The same with credentials: each Sync Summary attempt first needs a token (a login, with its own retries on network
    /// errors and 5xx, whose failure ends the call); a 401 renews the token once per call and resends once.
    /// </summary>
    internal static Expected ExpectWithLogin(WireFault[] faults, LoginFault[] loginFaults, ref bool hasToken)
    {
        var requests = 0;
        var logins = 0;
        var renewed = false;
        for (var attempt = 0; ; attempt++)
        {
            if (!hasToken)
            {
                if (LogIn(loginFaults, ref logins, requests) is { } failed)
                {
                    return failed;
                }

                hasToken = true;
            }

            var fault = faults[requests++];
            if (fault == WireFault.Unauthorized && !renewed)
            {
                renewed = true;
                if (LogIn(loginFaults, ref logins, requests) is { } failed)
                {
                    return failed;
                }

                fault = faults[requests++];
            }

            if (fault == WireFault.Unauthorized)
            {
                return new Expected(requests, logins, false, 401, false, true, requests, "401 after the renewal");
            }

            var verdict = WireFaults.VerdictOf(fault);
            if (!Retried(verdict) || attempt == MaxRetries)
            {
                return Outcome(fault, requests, logins, requests);
            }
        }
    }

    /// <summary>One login with its retries: null when it got a token, else how the call ends.</summary>
    private static Expected? LogIn(LoginFault[] loginFaults, ref int logins, int requests)
    {
        for (var i = 0; ; i++)
        {
            var fault = loginFaults[logins++];
            if (LoginFaults.Succeeds(fault))
            {
                return null;
            }

            if (!LoginFaults.Retried(fault) || i == MaxRetries)
            {
                var authentication = LoginFaults.IsAuthenticationFailure(fault);
                return new Expected(requests, logins, false, LoginFaults.StatusOf(fault), !authentication, authentication, null, $"login {fault}");
            }
        }
    }

    private static bool Retried(Verdict verdict) => verdict is Verdict.Network or Verdict.AttemptTimeout or Verdict.TransientStatus;

    private static Expected Outcome(WireFault fault, int requests, int logins, int attempts)
    {
        var verdict = WireFaults.VerdictOf(fault);
        return new Expected(
            requests,
            logins,
            verdict == Verdict.Success,
            WireFaults.StatusOf(fault),
            Retried(verdict) || verdict == Verdict.TransientStatusNotRetried,
            verdict == Verdict.Unauthorized,
            attempts,
            verdict.ToString(),
            WireFaults.SummariesOf(fault));
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
