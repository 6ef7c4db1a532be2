using Leaf.Sdk.Resilience;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.Round9Cancel;

/// <summary>
/// The one call the breaker lets through after its break (the probe), cancelled by its caller: it says nothing about
/// Leaf, so the circuit neither closes (as if Leaf had recovered) nor fails a call the caller did not cancel.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class CancelledProbeTests
{
    [Test]
    public async Task A_cancelled_probe_leaves_the_circuit_open_and_the_next_call_probes_again([Values] ClientKind kind, [Values] bool leafRecovered)
    {
        using var w = new CancelWorld(kind, Auth.StaticToken, o => o.MaxRetries = 0);
        await OpenTheCircuitAsync(w);
        w.Time.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration);
        var sentBefore = w.Server.ResourceRequests;
        var errorsBefore = Errors(w);

        w.Server.Resources = _ => Answer.HoldHeaders;
        using var cts = new CancellationTokenSource();
        var probe = w.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => w.Server.ResourceRequests == sentBefore + 1, "the probe reached the server");
        await cts.CancelAsync();
        var cancelled = await Expect.Cancelled(probe.WaitAsync(CancelWorld.RealTimeBound));
        var errorsOfTheProbe = Errors(w) - errorsBefore;

        if (leafRecovered)
        {
            // The next call probes at once, with no second break to wait out, and finds Leaf well: the circuit closes.
            w.Server.Resources = _ => Answer.Ok;
            var next = await w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound);
            var after = await w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound);
            Assert.Multiple(() =>
            {
                Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token));
                Assert.That(errorsOfTheProbe, Is.Zero, "the cancelled probe logged no error");
                Assert.That(next.Summaries, Has.Count.EqualTo(1));
                Assert.That(after.Summaries, Has.Count.EqualTo(1));
            });
            return;
        }

        // Leaf is still down: the next call is the probe (it reaches Leaf), fails, and the circuit opens again, so the
        // call after it is refused without reaching Leaf. Had the cancelled probe closed the circuit, both would reach Leaf.
        w.Server.Resources = _ => Answer.Unavailable;
        var failedProbe = await Expect.ThrowsKindOf<LeafApiException>(() => w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound));
        var refused = await Expect.ThrowsKindOf<LeafApiException>(() => w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound));

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token));
            Assert.That(errorsOfTheProbe, Is.Zero, "the cancelled probe logged no error");
            Assert.That(failedProbe.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable), "the next call was the probe");
            Assert.That(refused.Message, Does.Contain("circuit open").And.Contain("was not sent"));
            Assert.That(w.Server.ResourceRequests, Is.EqualTo(sentBefore + 2), "only the two probes reached Leaf");
            Assert.That(
                w.Logs.Collector.GetSnapshot().Where(r => r.Message.Contains("OnCircuitClosed", StringComparison.Ordinal)),
                Is.Empty,
                "the circuit never closed");
        });
    }

    [Test]
    public async Task Cancelled_calls_while_the_circuit_is_closed_still_leave_it_closed([Values] ClientKind kind)
    {
        using var w = new CancelWorld(kind, Auth.StaticToken, o => o.MaxRetries = 0);
        w.Server.Resources = _ => Answer.HoldHeaders;
        for (var i = 1; i <= 2 * LeafResiliencePipelineFactory.BreakerMinimumThroughput; i++)
        {
            using var cts = new CancellationTokenSource();
            var call = w.Client.GetResourcesAsync(cancellationToken: cts.Token);
            var n = i;
            await ResilienceHarness.WaitUntilAsync(() => w.Server.ResourceRequests == n, "the request reached the server");
            await cts.CancelAsync();
            await Expect.Cancelled(call.WaitAsync(CancelWorld.RealTimeBound));
        }

        w.Server.Resources = _ => Answer.Ok;
        var next = await w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound);

        Assert.Multiple(() =>
        {
            Assert.That(next.Summaries, Has.Count.EqualTo(1));
            Assert.That(Errors(w), Is.Zero);
            Assert.That(w.Logs.Collector.GetSnapshot().Where(r => r.Message.Contains("OnCircuit", StringComparison.Ordinal)), Is.Empty);
        });
    }

    private static async Task OpenTheCircuitAsync(CancelWorld w)
    {
        w.Server.Resources = _ => Answer.Unavailable;
        for (var i = 0; i < LeafResiliencePipelineFactory.BreakerMinimumThroughput; i++)
        {
            var failed = await Expect.ThrowsKindOf<LeafApiException>(() => w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound));
            Assert.That(failed.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
        }

        var open = await Expect.ThrowsKindOf<LeafApiException>(() => w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound));
        Assert.That(open.Message, Does.Contain("circuit open"), "the circuit opened");
    }

    private static int Errors(CancelWorld w) => w.Logs.Collector.GetSnapshot().Count(r => r.Level >= LogLevel.Error);
}
