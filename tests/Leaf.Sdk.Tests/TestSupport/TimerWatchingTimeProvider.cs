using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which of its one-shot timers are still waiting and when each is due, so a
/// test can move the clock to the end of one particular wait (a back-off) once that wait has begun, and no further.
/// </summary>
public sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentDictionary<Watched, DateTimeOffset> _waiting = new();

    /// <summary>
    /// How long until the earliest waiting one-shot timer that was set for <paramref name="dueTime"/> (to within a
    /// millisecond: .NET's delays drop a wait's fraction of a millisecond) fires; <see langword="null"/> if none is waiting.
    /// </summary>
    public TimeSpan? UntilTimerSetFor(TimeSpan dueTime)
    {
        DateTimeOffset? earliest = null;
        foreach (var (timer, due) in _waiting)
        {
            if (Math.Abs((timer.DueTime - dueTime).Ticks) < TimeSpan.TicksPerMillisecond && (earliest is null || due < earliest))
            {
                earliest = due;
            }
        }

        return earliest is { } at ? (at - GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero) : null;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var watched = new Watched(this);
        watched.Inner = base.CreateTimer(
            s =>
            {
                if (watched.Period == Timeout.InfiniteTimeSpan)
                {
                    _waiting.TryRemove(watched, out _);
                }

                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        watched.Change(dueTime, period);
        return watched;
    }

    private sealed class Watched(TimerWatchingTimeProvider clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public TimeSpan DueTime { get; private set; }

        public TimeSpan Period { get; private set; } = Timeout.InfiniteTimeSpan;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueTime = dueTime;
            Period = period;
            if (dueTime != Timeout.InfiniteTimeSpan && period == Timeout.InfiniteTimeSpan)
            {
                clock._waiting[this] = clock.GetUtcNow() + dueTime;
            }
            else
            {
                clock._waiting.TryRemove(this, out _);
            }

            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            clock._waiting.TryRemove(this, out _);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            clock._waiting.TryRemove(this, out _);
            return Inner.DisposeAsync();
        }
    }
}
