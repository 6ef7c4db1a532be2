namespace LeafWebApi;

/// <summary>The app's log events, with structured properties (LeafUserId, Status, ...), never a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "No Leaf:AccessToken or Leaf:Username configured: using the embedded fake Leaf server at {BaseAddress} with demo data")]
    public static partial void UsingFakeServer(ILogger logger, Uri baseAddress);

    [LoggerMessage(2, LogLevel.Information, "Calling Leaf at {BaseAddress}")]
    public static partial void UsingLeaf(ILogger logger, Uri baseAddress);

    [LoggerMessage(3, LogLevel.Information, "Checked Leaf user {LeafUserId}: {Status} ({Summaries} summaries, {Errors} errors, {Warnings} warnings)")]
    public static partial void Checked(ILogger logger, Guid leafUserId, string status, int summaries, int errors, int warnings);

    [LoggerMessage(4, LogLevel.Error, "Leaf call for user {LeafUserId} failed with status {StatusCode}: {Reason}")]
    public static partial void LeafFailed(ILogger logger, Guid leafUserId, int? statusCode, string reason);
}
