using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round11Time;

/// <summary>
/// A machine's clocks for tests: a wall clock that can step either way (an NTP correction, a VM resumed from a
/// snapshot) over monotonic timestamps and timers that only <see cref="Advance"/> moves, as on a real machine; and the
/// due time of every timer made, so a test can see a wait begin before it moves time past its end.
/// </summary>
internal sealed class SteppingClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _ticks = new(start);
    private readonly List<TimeSpan> _timers = [];
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => _ticks.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override long GetTimestamp() => _ticks.GetTimestamp();

    public override long TimestampFrequency => _ticks.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_timers)
        {
            _timers.Add(dueTime);
        }

        return _ticks.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Moves the wall clock only: timestamps and timers do not see the step.</summary>
    public void Step(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Time passing: wall clock, timestamps and timers alike.</summary>
    public void Advance(TimeSpan by) => _ticks.Advance(by);

    /// <summary>How many timers were made with exactly this due time.</summary>
    public int TimersDue(TimeSpan dueTime)
    {
        lock (_timers)
        {
            return _timers.Count(t => t == dueTime);
        }
    }

    /// <summary>The due times of every timer made, in order.</summary>
    public IReadOnlyList<TimeSpan> Timers
    {
        get
        {
            lock (_timers)
            {
                return [.. _timers];
            }
        }
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(5);
        }
    }
}
