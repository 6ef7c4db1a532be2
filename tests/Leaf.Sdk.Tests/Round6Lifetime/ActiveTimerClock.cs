using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>A <see cref="FakeTimeProvider"/> that counts the timers made on it that are not disposed yet.</summary>
internal sealed class ActiveTimerClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _active;
    private int _created;

    public int ActiveTimers => Volatile.Read(ref _active);

    public int TimersCreated => Volatile.Read(ref _created);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _active);
        Interlocked.Increment(ref _created);
        return new Counted(base.CreateTimer(callback, state, dueTime, period), this);
    }

    private sealed class Counted(ITimer inner, ActiveTimerClock owner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            Release();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Release();
            return inner.DisposeAsync();
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._active);
            }
        }
    }
}
