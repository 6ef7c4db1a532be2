namespace Leaf.Sdk.Resilience;

/// <summary>
/// The clock Polly runs on: <paramref name="inner"/>'s timers and timestamps, and a wall time that only moves as its
/// timestamps do. Polly's circuit breaker times its break and its sampling window by wall time
/// (<see cref="TimeProvider.GetUtcNow"/>): a system clock stepped back an hour (an NTP correction, a VM restored from a
/// snapshot) would keep an open circuit failing every call for that hour and the 15 s break besides.
/// </summary>
internal sealed class SteadyClock(TimeProvider inner) : TimeProvider
{
    private readonly DateTimeOffset _origin = inner.GetUtcNow();
    private readonly long _started = inner.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => _origin + inner.GetElapsedTime(_started);

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
