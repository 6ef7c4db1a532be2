using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Cancel;

/// <summary>
/// Cancellation at the edges of a call: at the very instant the attempt times out, and after the call is over.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class CancelRaceTests
{
    public enum Order
    {
        /// <summary>The caller's timer was set first, so it fires first.</summary>
        CallerFirst,

        /// <summary>The attempt's timer was set first, so it fires first, the caller's in the same step of the clock.</summary>
        TimeOutFirst,
    }

    // The timers are due at the same instant of the fake clock (the caller's, the attempt's and, with totalTimesOutToo,
    // the whole call's), and one step of the clock fires them all, in the order they were set. Either way the caller
    // cancelled: not a time-out, not a LeafApiException. The step is one instant for the call (AdvanceAsOneInstant):
    // on a busy machine, the call could otherwise see its attempt time out before the next timer had fired.
    [Test]
    public async Task Cancelled_at_the_instant_the_attempt_times_out_is_the_callers_cancellation(
        [Values] ClientKind kind, [Values] Auth auth, [Values] Order order, [Values(0, 3)] int maxRetries, [Values] bool totalTimesOutToo)
    {
        using var w = new CancelWorld(kind, auth, o =>
        {
            o.MaxRetries = maxRetries;
            if (totalTimesOutToo)
            {
                o.TotalTimeout = o.AttemptTimeout;
            }
        });
        w.Server.Resources = n => n == 1 ? Answer.HoldHeaders : Answer.Ok;
        using var cts = new CancellationTokenSource();
        using var early = order == Order.CallerFirst ? CancelAt(w, cts) : null;

        var call = w.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => w.Server.ResourceRequests == 1, "the request reached the server");
        using var late = order == Order.TimeOutFirst ? CancelAt(w, cts) : null;
        w.Time.AdvanceAsOneInstant(CancelWorld.AttemptTimeout);

        var cancelled = await Expect.Cancelled(call.WaitAsync(CancelWorld.RealTimeBound));
        var complaints = w.Complaints;
        var next = await w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound);
        await w.AllConnectionsClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(cancelled, Is.Not.InstanceOf<LeafApiException>());
            Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token), "the exception carries the caller's token");
            Assert.That(complaints, Is.Empty, CancelWorld.Describe(complaints));
            Assert.That(next.Summaries, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Cancelling_after_the_call_completed_changes_nothing([Values] ClientKind kind, [Values] Auth auth)
    {
        using var w = new CancelWorld(kind, auth);
        using var cts = new CancellationTokenSource();

        var first = await w.Client.GetResourcesAsync(cancellationToken: cts.Token).WaitAsync(CancelWorld.RealTimeBound);
        await cts.CancelAsync();
        var second = await w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound);
        await w.AllConnectionsClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.Summaries, Has.Count.EqualTo(1));
            Assert.That(second.Summaries, Has.Count.EqualTo(1));
            Assert.That(w.Server.ResourceRequests, Is.EqualTo(2));
            Assert.That(w.TokenRequests, Is.EqualTo(auth == Auth.StaticToken ? 0 : auth == Auth.Login ? 1 : 2), "the login made with the cancelled token is kept");
            Assert.That(w.Complaints, Is.Empty, CancelWorld.Describe(w.Complaints));
        });
    }

    // The caller's cancellation on the fake clock, due when the attempt times out: a timer set before the attempt's fires
    // before it, one set after it fires after it, in the same step of the clock.
    private static ITimer CancelAt(CancelWorld w, CancellationTokenSource cts) =>
        w.Time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), cts, CancelWorld.AttemptTimeout, Timeout.InfiniteTimeSpan);
}
