using System.Collections.Concurrent;

namespace Leaf.Sdk.Tests.Round11Hosting;

/// <summary>
/// A UI thread in miniature: one thread whose <see cref="SynchronizationContext"/> runs what is posted to it only when
/// the thread is free. Code on it that blocks on a task (<c>.GetAwaiter().GetResult()</c>, sync over async, as WinForms,
/// WPF and old ASP.NET apps do) deadlocks if anything the task waits for was posted back to it.
/// </summary>
internal sealed class SingleThreadedContext : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    private int _posts;

    public override void Post(SendOrPostCallback d, object? state)
    {
        Interlocked.Increment(ref _posts);
        _queue.Add((d, state));
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The single thread is busy; Send would wait for it forever.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>
    /// Runs <paramref name="blockingCall"/> on a new thread with this context, then runs what was posted meanwhile. A
    /// call still blocked after <see cref="HostedLeaf.HangBound"/> is a deadlock (real time only bounds the hang).
    /// </summary>
    /// <returns>What the call returned or threw, and how many callbacks were posted to the thread while it was blocked.</returns>
    public static async Task<(T? Result, Exception? Error, int PostsWhileBlocked)> RunAsync<T>(Func<T> blockingCall)
    {
        var context = new SingleThreadedContext();
        var done = new TaskCompletionSource<(T?, Exception?, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            SetSynchronizationContext(context);
            try
            {
                var result = blockingCall();
                done.SetResult((result, null, Volatile.Read(ref context._posts)));
            }
            catch (Exception ex)
            {
                done.SetResult((default, ex, Volatile.Read(ref context._posts)));
            }

            // Free again: what was posted runs now, as a UI thread's message loop would run it.
            while (context._queue.TryTake(out var item))
            {
                item.Callback(item.State);
            }
        })
        {
            IsBackground = true,
            Name = "Round11Hosting single-threaded context",
        };
        thread.Start();

        try
        {
            return await done.Task.WaitAsync(HostedLeaf.HangBound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Deadlocked: the blocked thread's call never completed ({Volatile.Read(ref context._posts)} callback(s) were posted to it).");
            throw;
        }
    }
}

/// <summary>
/// A <see cref="TaskScheduler"/> with one thread of its own, counting the tasks queued to it: an app's scheduler for
/// work that must not run concurrently (an actor, a UI dispatcher's scheduler, a test framework's).
/// </summary>
internal sealed class SingleThreadScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _tasks = [];
    private readonly Thread _thread;
    private int _queued;

    public SingleThreadScheduler()
    {
        _thread = new Thread(() =>
        {
            foreach (var task in _tasks.GetConsumingEnumerable())
            {
                TryExecuteTask(task);
            }
        })
        {
            IsBackground = true,
            Name = "Round11Hosting single-thread scheduler",
        };
        _thread.Start();
    }

    public int Queued => Volatile.Read(ref _queued);

    public override int MaximumConcurrencyLevel => 1;

    // The collection is not disposed: the thread may still be leaving its loop.
    public void Dispose() => _tasks.CompleteAdding();

    protected override void QueueTask(Task task)
    {
        Interlocked.Increment(ref _queued);
        _tasks.Add(task);
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => [.. _tasks];
}
