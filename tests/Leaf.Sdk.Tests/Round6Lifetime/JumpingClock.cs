using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>
/// A clock whose wall time can jump backward as well as forward (an NTP step, a VM resumed from a snapshot), while its
/// monotonic timestamps and timers run on a <see cref="FakeTimeProvider"/>, as a real machine's do. FakeTimeProvider
/// itself refuses to go back in time.
/// </summary>
internal sealed class JumpingClock(DateTimeOffset start) : TimeProvider
{
    private TimeSpan _offset;

    public FakeTimeProvider Ticks { get; } = new(start);

    public override DateTimeOffset GetUtcNow() => Ticks.GetUtcNow() + _offset;

    public override long GetTimestamp() => Ticks.GetTimestamp();

    public override long TimestampFrequency => Ticks.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Ticks.CreateTimer(callback, state, dueTime, period);

    /// <summary>Moves the wall clock only; elapsed time and timers do not see the jump.</summary>
    public void Jump(TimeSpan by) => _offset += by;

    /// <summary>Real time passing: wall clock, timestamps and timers alike.</summary>
    public void Advance(TimeSpan by) => Ticks.Advance(by);
}
