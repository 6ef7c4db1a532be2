using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers made on it, so a test can tell that a wait on the clock
/// has begun before it advances the clock past its end.
/// </summary>
public sealed class TimerCountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private static readonly TimeSpan StepBound = TimeSpan.FromSeconds(10);
    private readonly Lock _step = new();
    private int _timers;
    private int _steppingThread;

    /// <summary>Timers made so far (a <c>Task.Delay</c> on this clock makes one).</summary>
    public int TimersCreated => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>
    /// <see cref="FakeTimeProvider.Advance"/>, as one instant for everyone else: until every timer due in the step has
    /// fired, another thread that reads this clock waits (in real time, at most 10 s). <see cref="FakeTimeProvider.Advance"/>
    /// fires the due timers one after the other, so code that one of them set going on another thread can otherwise run
    /// ahead between two of them when the machine is busy (CancelRaceTests failed a full run at stop 21 so: a call saw its
    /// attempt time out before the caller's cancellation due at the same instant). The code under test reads the clock before it decides on an
    /// outcome (its logs are stamped by it, and Polly times its attempts by it), so it sees the whole step.
    /// </summary>
    public void AdvanceAsOneInstant(TimeSpan delta)
    {
        lock (_step)
        {
            Volatile.Write(ref _steppingThread, Environment.CurrentManagedThreadId);
            try
            {
                Advance(delta);
            }
            finally
            {
                Volatile.Write(ref _steppingThread, 0);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        WaitForTheStep();
        return base.GetUtcNow();
    }

    public override long GetTimestamp()
    {
        WaitForTheStep();
        return base.GetTimestamp();
    }

    private void WaitForTheStep()
    {
        var stepping = Volatile.Read(ref _steppingThread);
        if (stepping != 0 && stepping != Environment.CurrentManagedThreadId)
        {
            if (_step.TryEnter(StepBound))
            {
                _step.Exit();
            }
        }
    }
}
