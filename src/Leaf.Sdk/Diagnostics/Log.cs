using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Diagnostics;

/// <summary>
/// Every log event of the SDK. None takes a token, a password or a header value as an argument, so none can leak one.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Sending {Method} {Path}, attempt {Attempt}")]
    public static partial void SendingAttempt(ILogger logger, HttpMethod method, string? path, int attempt);

    [LoggerMessage(2, LogLevel.Warning, "Retrying Leaf call after attempt {Attempt} failed with {Reason}; waiting {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, int attempt, string reason, double delayMs);

    [LoggerMessage(3, LogLevel.Information, "Leaf answered 401; renewing the token and resending once")]
    public static partial void RenewingToken(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "Logging in to Leaf at {Path}")]
    public static partial void LoggingIn(ILogger logger, string path);

    [LoggerMessage(5, LogLevel.Information, "Logged in to Leaf; token valid until {ExpiresAt:O}")]
    public static partial void LoggedIn(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(6, LogLevel.Warning, "Leaf login failed: {Reason}")]
    public static partial void LoginFailed(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Debug, "Leaf: {Operation} succeeded after {Attempts} attempt(s) with {Count} summaries")]
    public static partial void CallSucceeded(ILogger logger, string operation, int attempts, int count);

    [LoggerMessage(8, LogLevel.Error, "Leaf: {Operation} failed after {Attempts} attempt(s): {Reason}")]
    public static partial void CallFailed(ILogger logger, string operation, int attempts, string reason);

    [LoggerMessage(9, LogLevel.Debug, "Leaf answered attempt {Attempt} with {StatusCode} after {ElapsedMs} ms")]
    public static partial void AttemptAnswered(ILogger logger, int attempt, int statusCode, double elapsedMs);

    [LoggerMessage(10, LogLevel.Information, "Leaf.Sdk left out the {Handler} added to every HttpClient from its client {Client}: the SDK retries, times out and breaks the circuit itself, and a second resilience handler would multiply its retries. To have one anyway, add it on the builder AddLeafSdk returns.")]
    public static partial void StackedResilienceRemoved(ILogger logger, string handler, string client);

    [LoggerMessage(11, LogLevel.Warning, "Leaf.Sdk ignores the configuration key {Key}: it is not a setting of LeafClientOptions. The settings are {Settings}.")]
    public static partial void UnknownSetting(ILogger logger, string key, string settings);
}
