using System.Runtime.CompilerServices;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Cancel;

/// <summary>
/// A token source of the user's that ignores its cancellation token (a vault call made without it, say) and does not
/// answer: the call still ends when its caller cancels, or when the attempt times out, instead of waiting for the
/// source for good.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class DeafTokenSourceTests
{
    public enum Asked
    {
        /// <summary>Asked for the first token.</summary>
        FirstToken,

        /// <summary>Asked for a fresh token after Leaf answered 401.</summary>
        Renewal,
    }

    [Test]
    public async Task The_callers_cancellation_ends_the_call_at_once([Values] ClientKind kind, [Values] Asked asked)
    {
        var source = new DeafTokenSource { HangOnFirst = asked == Asked.FirstToken, HangOnRenewal = asked == Asked.Renewal };
        using var w = new CancelWorld(kind, Auth.TokenSource, o => o.TokenSource = source);
        w.Server.Resources = n => n == 1 && asked == Asked.Renewal ? Answer.Unauthorized : Answer.Ok;
        using var cts = new CancellationTokenSource();

        var call = w.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => source.Hanging == 1, "the source was asked and does not answer");
        await cts.CancelAsync();
        var cancelled = await Expect.Cancelled(call.WaitAsync(CancelWorld.RealTimeBound));

        source.HangOnRenewal = false;
        source.HangOnFirst = false;
        var next = await w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound);

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token));
            Assert.That(w.Time.GetUtcNow(), Is.EqualTo(CancelWorld.Epoch), "no time-out ended it");
            Assert.That(w.Complaints, Is.Empty, CancelWorld.Describe(w.Complaints));
            Assert.That(next.Summaries, Has.Count.EqualTo(1), "the next call works");
        });
    }

    [Test]
    public async Task The_attempt_time_out_ends_the_call_and_says_the_source_did_not_answer([Values] ClientKind kind)
    {
        var source = new DeafTokenSource();
        using var w = new CancelWorld(kind, Auth.TokenSource, o =>
        {
            o.TokenSource = source;
            o.MaxRetries = 0;
        });

        var call = w.Client.GetResourcesAsync();
        await ResilienceHarness.WaitUntilAsync(() => source.Hanging == 1, "the source was asked and does not answer");
        w.Time.Advance(CancelWorld.AttemptTimeout);
        var failed = await Expect.ThrowsKindOf<LeafApiException>(() => call.WaitAsync(CancelWorld.RealTimeBound));

        Assert.Multiple(() =>
        {
            Assert.That(failed.Message, Does.StartWith("The token source did not return a token within AttemptTimeout (10 s)"));
            Assert.That(failed.IsTransient, Is.True);
            Assert.That(w.Server.ResourceRequests, Is.Zero);
        });
    }

    // The source's own task goes on after the call stopped waiting for it; should it fail later, nobody awaits it.
    [Test]
    public async Task A_source_that_fails_after_the_call_gave_up_on_it_leaves_no_unobserved_exception()
    {
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        var unobserved = 0;
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains(marker, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref unobserved);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await AbandonThenFailAsync(marker);
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        Assert.That(unobserved, Is.Zero);
    }

    // Out of line, so no local of the test keeps the client or the source's task alive for the GC.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task AbandonThenFailAsync(string marker)
    {
        var source = new DeafTokenSource();
        using var w = new CancelWorld(ClientKind.Standalone, Auth.TokenSource, o => o.TokenSource = source);
        using var cts = new CancellationTokenSource();
        var call = w.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => source.Hanging == 1, "the source was asked");
        await cts.CancelAsync();
        await Expect.Cancelled(call.WaitAsync(CancelWorld.RealTimeBound));
        source.Fail(new InvalidOperationException(marker));
        await Task.Delay(50);
    }

    /// <summary>Hangs without looking at its cancellation token, until told otherwise.</summary>
    private sealed class DeafTokenSource : ILeafTokenSource
    {
        private readonly TaskCompletionSource<string> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _hanging;

        public bool HangOnFirst { get; set; } = true;

        public bool HangOnRenewal { get; set; }

        public int Hanging => Volatile.Read(ref _hanging);

        public void Fail(Exception error) => _answer.TrySetException(error);

        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
        {
            if (forceRenewal ? HangOnRenewal : HangOnFirst)
            {
                Interlocked.Increment(ref _hanging);
                return new ValueTask<string>(_answer.Task);
            }

            return ValueTask.FromResult(forceRenewal ? "renewed-token" : "first-token");
        }
    }
}
