namespace Leaf.Sdk.Resilience;

/// <summary>
/// Polly's exponential back-off with jitter (<c>DelayBackoffType.Exponential</c>, <c>UseJitter</c>: its
/// <c>RetryHelper.DecorrelatedJitterBackoffV2</c>, as in Polly 8.9.1, with no <c>MaxDelay</c>), computed by the SDK so it
/// knows the wait before it decides on a retry: Polly draws its wait only after that decision, and a wait longer than
/// what is left of the total time-out would only sleep into it.
/// </summary>
/// <remarks>
/// The waits up to retry <c>n</c> add up to <c>f(n - 1 + r) × baseDelay</c>, <c>f(t) = 2^t tanh(√(4t)) / 1.4</c>, with
/// <c>r</c> drawn from [0, 1) each time: the sums the README gives (1.4, 2.8, 5.7 × <c>RetryBaseDelay</c>) follow.
/// </remarks>
internal static class JitteredBackoff
{
    // Polly's bound: TimeSpan.MaxValue, less a margin so the conversion from double cannot overflow.
    private static readonly double MaxTicks = (double)TimeSpan.MaxValue.Ticks - 1_000;

    /// <param name="attempt">The attempt that failed, counted from 0 (Polly's attempt number).</param>
    /// <param name="baseDelay">RetryBaseDelay.</param>
    /// <param name="previous">The formula's value at the last retry of the same call, 0 before the first; updated.</param>
    /// <param name="random">A number from [0, 1).</param>
    public static TimeSpan Next(int attempt, TimeSpan baseDelay, ref double previous, Func<double> random)
    {
        if (baseDelay == TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var t = attempt + random();
        var next = Math.Pow(2.0, t) * Math.Tanh(Math.Sqrt(4.0 * t));
        if (double.IsInfinity(next))
        {
            previous = next;
            return TimeSpan.FromTicks((long)MaxTicks);
        }

        var step = next - previous;
        previous = next;

        // Written as Polly writes it (step × (1 / 1.4) × ticks), so the same random number gives the same tick.
        return TimeSpan.FromTicks((long)Math.Min(step * (1 / 1.4d) * baseDelay.Ticks, MaxTicks));
    }
}
