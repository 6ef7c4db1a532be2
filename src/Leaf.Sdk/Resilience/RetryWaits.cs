namespace Leaf.Sdk.Resilience;

/// <summary>
/// One call's waits between attempts. Made at the call's first failure worth a retry, so a call that goes well never
/// allocates it; retries of one call run one after another, so it needs no locking.
/// </summary>
internal sealed class RetryWaits
{
    /// <summary>The back-off formula's value at the last retry (<see cref="JitteredBackoff.Next"/>), 0 before the first.</summary>
    public double BackoffState;

    /// <summary>The wait before the retry about to be made: Leaf's Retry-After, else the back-off.</summary>
    public TimeSpan Next { get; set; }

    /// <summary>The HTTP attempt whose failure the retry answers, numbered as the call's log and errors number them.</summary>
    public int FailedAttempt { get; set; }

    /// <summary>The call's HTTP attempts when the last failure was judged: no more now means the try since sent nothing.</summary>
    public int AttemptsJudged { get; set; }

    /// <summary>
    /// Set when that wait was longer than what was left of TotalTimeout, so no retry was made: Leaf's answer (or the
    /// failure) is the call's result at once, with the reason.
    /// </summary>
    public BeyondBudget? Refused { get; set; }

    /// <param name="Requested">The wait.</param>
    /// <param name="Left">What was left of TotalTimeout, never negative.</param>
    /// <param name="RetryAfter">Whether Leaf asked for the wait (Retry-After) or it was the SDK's back-off.</param>
    internal readonly record struct BeyondBudget(TimeSpan Requested, TimeSpan Left, bool RetryAfter);
}
