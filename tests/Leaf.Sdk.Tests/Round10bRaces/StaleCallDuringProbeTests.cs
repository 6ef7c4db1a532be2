using System.Net;
using Leaf.Sdk.Resilience;

namespace Leaf.Sdk.Tests.Round10bRaces;

/// <summary>
/// Calls that started before the circuit opened and are cancelled by their callers while another call probes the
/// half-open circuit. Polly's breaker takes every outcome for a success (which closes a half-open circuit) or a failure
/// (which reopens it); it cannot ignore one. The SDK takes such a cancellation for a failure with no break
/// (LeafResiliencePipelineFactory.IsAbandonedProbe), so the circuit never closes on it, at the price of one more probe:
/// the next caller probes while the first probe is still out. Pinned here: the circuit does not close, a refused caller
/// is refused at once, and the extra requests are bounded by the cancelled calls, one each at most.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class StaleCallDuringProbeTests
{
    [Test]
    public async Task Calls_from_before_the_outage_cancelled_during_the_probe_never_close_the_circuit([Values(1, 5, 20)] int staleCalls)
    {
        // Attempt time-outs past every clock move here: the stale calls end only by their callers' cancellation.
        using var w = new ScriptedWorld(o => { o.MaxRetries = 0; o.AttemptTimeout = TimeSpan.FromHours(1); o.TotalTimeout = TimeSpan.FromHours(2); });
        var held = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        w.Leaf.Script = (_, ct) => held.Task.WaitAsync(ct);
        using var staleCancel = new CancellationTokenSource();
        var stale = Enumerable.Range(0, staleCalls).Select(_ => Outcome.Of(w.Client.GetResourcesAsync(cancellationToken: staleCancel.Token))).ToArray();
        await BreakerUnderLoadTests.WaitUntil(() => w.Leaf.InFlight == staleCalls, "the stale calls reached Leaf");

        w.Leaf.Script = static (_, _) => Task.FromResult(ScriptedLeaf.Status(HttpStatusCode.ServiceUnavailable));
        await BreakerUnderLoadTests.RunAsync(w, 2 * LeafResiliencePipelineFactory.BreakerMinimumThroughput + staleCalls);
        Assert.That((await BreakerUnderLoadTests.RunAsync(w, 1))[0].RefusedByCircuit, Is.True, "the circuit opened");

        w.Time.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration);
        var probeGate = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probes = 0;

        // Only the first request is held; a second probe, should one get through, is answered at once.
        w.Leaf.Script = (_, ct) => Interlocked.Increment(ref probes) == 1
            ? probeGate.Task.WaitAsync(ct)
            : Task.FromResult(ScriptedLeaf.Status(HttpStatusCode.ServiceUnavailable));
        var sent = w.Leaf.Requests;
        var probe = Outcome.Of(w.Client.GetResourcesAsync());
        await BreakerUnderLoadTests.WaitUntil(() => w.Leaf.Requests == sent + 1, "the probe reached Leaf");

        await staleCancel.CancelAsync();
        var staleOutcomes = await Task.WhenAll(stale).WaitAsync(ScriptedWorld.HangLimit);
        var during = await BreakerUnderLoadTests.RunAsync(w, 100);
        var sentDuring = w.Leaf.Requests - sent;
        probeGate.SetResult(ScriptedLeaf.Status(HttpStatusCode.ServiceUnavailable));
        await probe.WaitAsync(ScriptedWorld.HangLimit);

        Assert.Multiple(() =>
        {
            Assert.That(staleOutcomes.Select(o => o.Error), Has.All.InstanceOf<OperationCanceledException>());
            Assert.That(sentDuring, Is.InRange(1, 1 + staleCalls), "the probe, and at most one more request per cancelled call");
            Assert.That(
                during.Where(o => !o.RefusedByCircuit && o.Error is not LeafApiException { StatusCode: HttpStatusCode.ServiceUnavailable }).Select(o => o.Describe()),
                Is.Empty,
                "every other caller refused, or answered by the failing Leaf");
            Assert.That(w.LogCount("OnCircuitClosed"), Is.Zero, "the circuit never closed");
        });
    }
}
