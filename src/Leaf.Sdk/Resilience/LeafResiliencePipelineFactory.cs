using System.Net;
using System.Net.Sockets;
using Leaf.Sdk.Diagnostics;
using Leaf.Sdk.Http;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Leaf.Sdk.Resilience;

/// <summary>
/// Builds the one Polly pipeline every Leaf call goes through, standalone or from DI:
/// total time-out → retry → circuit breaker → attempt time-out.
/// </summary>
internal static class LeafResiliencePipelineFactory
{
    internal const string TotalTimeoutName = "Leaf.TotalTimeout";
    internal const string AttemptTimeoutName = "Leaf.AttemptTimeout";

    // Shared by the breaker; chosen so a few failures among many calls do not trip it, a real outage does.
    internal static readonly TimeSpan BreakerSamplingDuration = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan BreakerBreakDuration = TimeSpan.FromSeconds(15);
    internal const int BreakerMinimumThroughput = 10;
    internal const double BreakerFailureRatio = 0.5;

    /// <param name="options">Retry and time-out settings.</param>
    /// <param name="forLogin">
    /// The login call is never retried on a 4xx (not even 408 or 429) and has no circuit breaker of its own.
    /// </param>
    /// <param name="time">The clock for back-off, time-outs and the breaker.</param>
    /// <param name="loggerFactory">Receives retry events and Polly's telemetry.</param>
    /// <param name="parts">Every part, always, in the SDK; the benchmarks leave parts out to price each one.</param>
    /// <param name="random">The back-off's jitter, a number from [0, 1); <see cref="Random.Shared"/> unless a test fixes it.</param>
    public static ResiliencePipeline<HttpResponseMessage> Create(
        LeafClientOptions options,
        bool forLogin,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        LeafPipelineParts parts = LeafPipelineParts.All,
        Func<double>? random = null)
    {
        var jitter = random ?? Random.Shared.NextDouble;
        var logger = loggerFactory.CreateLogger("Leaf.Sdk.Resilience");
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = forLogin ? "Leaf.Sdk.Login" : "Leaf.Sdk",
            // The clock as given, never wrapped: on TimeProvider.System, Polly's two time-outs reuse pooled token sources
            // and timers; on any other clock each call makes two of each (0.5–0.6 KB). The price of the system clock is
            // that the breaker times its break by wall time (README, "Retries and time-outs").
            TimeProvider = time,
        };

        if (parts.HasFlag(LeafPipelineParts.TotalTimeout))
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = TotalTimeoutName, Timeout = options.TotalTimeout });
        }

        if (options.MaxRetries > 0 && parts.HasFlag(LeafPipelineParts.Retry))
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, args.AttemptNumber, options, forLogin, time, jitter)),
                // The wait ShouldRetry chose; Polly's own back-off only for a request that is no SDK call (no CallState).
                DelayGenerator = args => ValueTask.FromResult(StateOf(args.Outcome, args.Context)?.Retries?.Next ?? RetryAfter.Read(args.Outcome.Result, time)),
                OnRetry = args =>
                {
                    var attempt = StateOf(args.Outcome, args.Context)?.Retries?.FailedAttempt ?? args.AttemptNumber + 1;
                    Log.Retrying(logger, attempt, Describe(args.Outcome), args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        if (options.EnableCircuitBreaker && !forLogin && parts.HasFlag(LeafPipelineParts.CircuitBreaker))
        {
            var circuit = new CircuitBreakerStateProvider();
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = BreakerFailureRatio,
                MinimumThroughput = BreakerMinimumThroughput,
                SamplingDuration = BreakerSamplingDuration,
                BreakDuration = BreakerBreakDuration,
                StateProvider = circuit,
                ShouldHandle = args => ValueTask.FromResult(IsBreakerFailure(args, circuit, forLogin) || IsAbandonedProbe(args, circuit)),
                BreakDurationGenerator = static args => ValueTask.FromResult(
                    args.Context.Properties.GetValue(AbandonedProbe, false) ? TimeSpan.Zero : BreakerBreakDuration),
            });
        }

        if (parts.HasFlag(LeafPipelineParts.AttemptTimeout))
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = AttemptTimeoutName, Timeout = options.AttemptTimeout });
        }

        if (parts.HasFlag(LeafPipelineParts.Telemetry))
        {
            builder.ConfigureTelemetry(new TelemetryOptions
            {
                LoggerFactory = loggerFactory,
                SeverityProvider = Severity,
                ResultFormatter = FormatResult,
                MeteringEnrichers = { PollySeverityOnMetrics.Instance },
            });
        }

        return builder.Build();
    }

    // Set on a call whose probe of a half-open circuit was cancelled: it reopens the circuit for no time at all.
    private static readonly ResiliencePropertyKey<bool> AbandonedProbe = new("Leaf.Sdk.AbandonedProbe");

    // Set on a call whose last failure the breaker counted was the probe of a half-open circuit: the outage goes on.
    private static readonly ResiliencePropertyKey<bool> FailedProbe = new("Leaf.Sdk.FailedProbe");

    /// <summary>
    /// Whether the breaker counts the outcome as a failure (a transient one), noting on the call whether it was the probe
    /// of a half-open circuit: that failure opens the circuit again, for the outage whose opening was already an Error
    /// (<see cref="Severity"/>).
    /// </summary>
    private static bool IsBreakerFailure(CircuitBreakerPredicateArguments<HttpResponseMessage> args, CircuitBreakerStateProvider circuit, bool forLogin)
    {
        if (!IsTransient(args.Outcome, forLogin))
        {
            return false;
        }

        args.Context.Properties.Set(FailedProbe, circuit.CircuitState == CircuitState.HalfOpen);
        return true;
    }

    /// <summary>
    /// Whether the outcome is the probe of a half-open circuit, cancelled before Leaf answered it. Polly's breaker takes
    /// any outcome it does not handle for a success, and would close the circuit on it, as if Leaf had recovered, when
    /// the caller only gave up (a request aborted, a shutdown). Handled, and marked, it reopens the circuit for no time
    /// (<c>BreakDurationGenerator</c>): it counts neither way, and the next call is the probe.
    /// </summary>
    private static bool IsAbandonedProbe(CircuitBreakerPredicateArguments<HttpResponseMessage> args, CircuitBreakerStateProvider circuit)
    {
        if (args.Outcome.Exception is not OperationCanceledException || !args.Context.CancellationToken.IsCancellationRequested
            || circuit.CircuitState != CircuitState.HalfOpen)
        {
            return false;
        }

        args.Context.Properties.Set(AbandonedProbe, true);
        return true;
    }

    /// <summary>
    /// Polly reports the end of every call ("Resilience pipeline executed") and every attempt that ended well at
    /// Information: two log lines per call in an app that logs at Information, the ASP.NET Core default. It reports a
    /// retry three times over at Warning (the failed attempt, each time-out, "OnRetry"), and the last attempt of a call
    /// that ran out of retries, and every time-out, at Error. The SDK already writes one Warning per retry (event 2:
    /// attempt, reason, delay) and one Error per failed call (event 8: why, after how many attempts), so all of Polly's
    /// per-call and per-attempt events are Debug here: a retry is one Warning in the log and a failed call one Error,
    /// which is what an app alerting on either should see. The breaker's events keep Polly's severity (its opening is
    /// an Error, once per outage: opening again after a failed probe is Debug), and metrics are recorded for every event
    /// as before, with Polly's own severities (<see cref="PollySeverityOnMetrics"/>).
    /// </summary>
    internal static ResilienceEventSeverity Severity(SeverityProviderArguments args) => args.Event switch
    {
        { Severity: ResilienceEventSeverity.None } => ResilienceEventSeverity.None,
        { EventName: "ExecutionAttempt" or "PipelineExecuted" or "OnRetry" or "OnTimeout" } => ResilienceEventSeverity.Debug,

        // The circuit reopened for no time after a cancelled probe (IsAbandonedProbe): nothing failed.
        { EventName: "OnCircuitOpened" } when args.Context.Properties.GetValue(AbandonedProbe, false) => ResilienceEventSeverity.Debug,

        // The call let through after a break met the same outage (IsBreakerFailure): its opening was the Error, and
        // an alert on Errors must not fire again after every break for as long as the outage lasts.
        { EventName: "OnCircuitOpened" } when args.Context.Properties.GetValue(FailedProbe, false) => ResilienceEventSeverity.Debug,
        _ => args.Event.Severity,
    };

    /// <summary>
    /// Puts Polly's own severity back on the <c>event.severity</c> tag of its metrics. Polly tags each measurement with
    /// the severity <see cref="Severity"/> chose for the log, so lowering a retry's log event to Debug also made every
    /// retry, failed attempt and time-out a Debug event in <c>resilience.polly.strategy.events</c> and the duration
    /// histograms: an app charting or alerting on those by severity, as Polly documents the tag, saw none. Only the
    /// log levels are the SDK's choice; the metrics stay Polly's.
    /// </summary>
    internal sealed class PollySeverityOnMetrics : MeteringEnricher
    {
        public static readonly PollySeverityOnMetrics Instance = new();

        private const string SeverityTag = "event.severity";

        public override void Enrich<TResult, TArgs>(in EnrichmentContext<TResult, TArgs> context)
        {
            var tags = context.Tags;
            for (var i = 0; i < tags.Count; i++)
            {
                if (string.Equals(tags[i].Key, SeverityTag, StringComparison.Ordinal))
                {
                    tags[i] = new(SeverityTag, Name(context.TelemetryEvent.Event.Severity));
                    return;
                }
            }
        }

        // As Polly spells each severity in the tag; constants, so no measurement allocates a name.
        private static string Name(ResilienceEventSeverity severity) => severity switch
        {
            ResilienceEventSeverity.None => "None",
            ResilienceEventSeverity.Debug => "Debug",
            ResilienceEventSeverity.Information => "Information",
            ResilienceEventSeverity.Warning => "Warning",
            ResilienceEventSeverity.Error => "Error",
            ResilienceEventSeverity.Critical => "Critical",
            _ => severity.ToString(),
        };
    }

    /// <summary>
    /// What Polly's telemetry shows as an attempt's result: the status code of a response, as Polly's default formatter
    /// does. Polly formats the result of every attempt and of every call, logged or not; the default boxes a new
    /// integer each time (48 bytes per call), this hands out one box per status code.
    /// </summary>
    internal static object? FormatResult(ResilienceContext context, object? result) => result switch
    {
        HttpResponseMessage { StatusCode: var status } when (int)status >= 0 && (int)status < StatusBoxes.Length => StatusBoxes[(int)status],
        HttpResponseMessage response => (int)response.StatusCode,
        _ => result,
    };

    private static readonly object[] StatusBoxes = [.. Enumerable.Range(0, 600).Select(static status => (object)status)];

    /// <summary>Whether a status is worth another attempt: 408, 429, 500, 502, 503, 504.</summary>
    public static bool IsTransient(HttpStatusCode status) => status is
        HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or
        HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome, bool forLogin) => outcome switch
    {
        { Exception: { } exception } when FailsAgain(exception) => false,
        // SocketException: a connection reset as it was set up. .NET reads the socket's remote address once it has
        // connected, and a peer that reset the connection by then (a load balancer turning it away) makes that read
        // throw, unwrapped.
        { Exception: HttpRequestException or IOException or TimeoutRejectedException or SocketException } => true,

        // The next attempt connects anew.
        { Exception: { } exception } when IsConnectTimeout(exception) => true,
        { Result: { } response } when forLogin => (int)response.StatusCode >= 500 && IsTransient(response.StatusCode),
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    /// <summary>
    /// Whether a new connection was not set up within the primary handler's ConnectTimeout (a host that drops the SYN, a
    /// stalled TLS handshake): .NET throws it as a cancellation with a <see cref="TimeoutException"/> inside, though
    /// nobody cancelled.
    /// </summary>
    internal static bool IsConnectTimeout(Exception exception) => exception is OperationCanceledException { InnerException: TimeoutException };

    /// <summary>
    /// Whether the TLS handshake failed on the client's own verdict: the server's certificate (untrusted, expired, for
    /// another name) or no TLS at all (plain HTTP at an https:// address). The same server sends the same certificate
    /// to the next attempt, so a retry only delays the error by the back-off; a handshake that broke off (an
    /// <see cref="IOException"/> inside) is still retried.
    /// </summary>
    /// <remarks>
    /// Likewise a proxy that asked for credentials (407 to the CONNECT): the next attempt brings the same ones.
    /// </remarks>
    internal static bool FailsAgain(Exception exception) => exception is
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError, InnerException: System.Security.Authentication.AuthenticationException }
        or HttpRequestException { HttpRequestError: HttpRequestError.ProxyTunnelError, StatusCode: HttpStatusCode.ProxyAuthenticationRequired };

    /// <summary>
    /// Where an attempt that ended in an exception leaves its request's <see cref="CallState"/> for the retry strategy:
    /// an exception, unlike a response, does not lead back to its request.
    /// </summary>
    internal static readonly ResiliencePropertyKey<CallState> FailedAttemptState = new(CallState.Key);

    private static CallState? StateOf(Outcome<HttpResponseMessage> outcome, ResilienceContext context) =>
        CallState.Of(outcome.Result?.RequestMessage)
        ?? (outcome.Exception is not null && context.Properties.TryGetValue(FailedAttemptState, out var state) ? state : null);

    private static bool ShouldRetry(
        Outcome<HttpResponseMessage> outcome, ResilienceContext context, int attempt, LeafClientOptions options, bool forLogin, TimeProvider time, Func<double> random)
    {
        // Every outcome comes here, successes included: nothing more is done for one that is no reason to retry.
        if (!IsTransient(outcome, forLogin))
        {
            return false;
        }

        // After the last attempt Polly retries no more, whatever this says; there is no wait to weigh.
        if (attempt >= options.MaxRetries || StateOf(outcome, context) is not { } state)
        {
            return true;
        }

        // Polly's back-off, drawn here rather than by Polly, so the wait is known before the retry is decided. It is
        // drawn also when Retry-After decides the wait, as Polly does: the next back-off goes on from this one.
        var waits = state.Retries ??= new RetryWaits();

        // The retry event names the failed attempt as the rest of the log and the error count them, HTTP request by
        // request (a resend after a 401 is an attempt of its own), not by Polly's tries. A try that sent nothing (its
        // token came too late) has no number of its own: it keeps Polly's.
        waits.FailedAttempt = state.Attempts > waits.AttemptsJudged ? state.Attempts : attempt + 1;
        waits.AttemptsJudged = state.Attempts;
        var backoff = JitteredBackoff.Next(attempt, options.RetryBaseDelay, ref waits.BackoffState, random);
        var retryAfter = RetryAfter.Read(outcome.Result, time);
        waits.Next = retryAfter ?? backoff;

        // Waiting longer than the call may still take is waiting in vain: fail now, with Leaf's answer, and say why.
        var left = options.TotalTimeout - time.GetElapsedTime(state.StartedAt);
        if (waits.Next > left)
        {
            waits.Refused = new RetryWaits.BeyondBudget(waits.Next, left < TimeSpan.Zero ? TimeSpan.Zero : left, RetryAfter: retryAfter is not null);
            return false;
        }

        return true;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => "an attempt time-out",
        { Exception: HttpRequestException http } => $"a network error ({http.HttpRequestError})",
        { Exception: IOException } => "a response body that broke off",
        { Exception: SocketException socket } => $"a network error ({socket.SocketErrorCode})",
        { Exception: { } ex } when IsConnectTimeout(ex) => "a connection time-out",
        { Exception: { } ex } => ex.GetType().Name,
        { Result: { } response } => $"{(int)response.StatusCode} {response.StatusCode}",
        _ => "an unknown outcome",
    };
}
