namespace Leaf.Sdk.Http;

/// <summary>
/// What one SDK call learns while its request travels the handler chain: attempts made, when it started (for the
/// budget of each wait between attempts), those waits and the parsed body. Travels in
/// <see cref="HttpRequestMessage.Options"/>, which every retry of the same request shares.
/// </summary>
internal sealed class CallState(long startedAt)
{
    public const string Key = "Leaf.Sdk.CallState";

    public static readonly HttpRequestOptionsKey<CallState> OptionsKey = new(Key);

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> at which the call began.</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>How many HTTP attempts reached the transport.</summary>
    public int Attempts => _attempts;

    /// <summary>The parsed body of a successful answer.</summary>
    public SyncSummaryResponse? Result { get; set; }

    /// <summary>The waits between attempts; made at the first failure worth a retry, so null for a call that went well.</summary>
    public Resilience.RetryWaits? Retries { get; set; }

    /// <summary>Whether a 401 already caused a token renewal in this call.</summary>
    public bool RenewedAfter401 { get; set; }

    private int _attempts;

    public int BeginAttempt() => Interlocked.Increment(ref _attempts);

    public static CallState? Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(OptionsKey, out var state) ? state : null;
}
