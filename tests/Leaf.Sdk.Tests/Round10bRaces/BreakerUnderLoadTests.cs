using System.Net;
using Leaf.Sdk.Resilience;

namespace Leaf.Sdk.Tests.Round10bRaces;

/// <summary>
/// One client, a hundred callers at a time, while Leaf flips between healthy and failing: the breaker opens on an
/// outage and refuses callers at once (no request, no back-off), lets exactly one probe through after its break, closes
/// after a good probe, reopens after a bad one, and a probe its caller cancels leaves the next call to probe.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BreakerUnderLoadTests
{
    private const int Callers = 100;

    private enum ProbeFate
    {
        Recovers,
        StillFailing,
        CallerCancels,
    }

    [Test]
    public async Task Many_callers_while_leaf_flips_one_probe_at_a_time([Values(1, 2, 3, 4, 5, 6)] int seed)
    {
        var random = new Random(seed);
        var why = $"seed {seed}";

        // Back-off of zero: a retry never waits on the fake clock, so a call that would back off after the circuit
        // opened would still finish; the attempts the exceptions count show it did not.
        using var w = new ScriptedWorld(o => { o.MaxRetries = 3; o.RetryBaseDelay = TimeSpan.Zero; });

        for (var cycle = 0; cycle < 4; cycle++)
        {
            var at = $"{why}, cycle {cycle}";

            // Healthy: every caller is answered.
            w.Leaf.Script = static (_, _) => Task.FromResult(ScriptedLeaf.Ok());
            var healthy = await RunAsync(w, Callers);
            Assert.That(healthy.Count(o => o.Result is not null), Is.EqualTo(Callers), $"{at}: healthy Leaf, every call answered");

            // A new sampling window, so the outage alone decides.
            w.Time.Advance(LeafResiliencePipelineFactory.BreakerSamplingDuration + TimeSpan.FromSeconds(1));

            // Outage: callers fail with 503 until the circuit opens, then are refused.
            w.Leaf.Script = static (_, _) => Task.FromResult(ScriptedLeaf.Status(HttpStatusCode.ServiceUnavailable));
            var outage = await RunAsync(w, Callers);
            Assert.That(outage.Select(o => o.Error), Has.All.InstanceOf<LeafApiException>(), $"{at}: every failure a LeafApiException");
            Assert.That(outage.Count(o => o.RefusedByCircuit), Is.Positive, $"{at}: the circuit opened during the outage");

            // Open: nobody reaches Leaf, and every refusal says nothing was sent.
            var sent = w.Leaf.Requests;
            var open = await RunAsync(w, Callers);
            Assert.Multiple(() =>
            {
                Assert.That(open.Where(o => !o.RefusedByCircuit).Select(o => o.Describe()), Is.Empty, $"{at}: every call refused while open");
                Assert.That(open.Select(o => ((LeafApiException)o.Error!).Attempts), Has.All.Zero, $"{at}: refused calls sent nothing");
                Assert.That(open.Select(o => ((LeafApiException)o.Error!).IsTransient), Has.All.True, $"{at}: a refusal is transient");
                Assert.That(w.Leaf.Requests, Is.EqualTo(sent), $"{at}: no request while open");
            });

            // Break over: the first caller probes and is held; the others are refused while it is out.
            w.Time.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration);
            var fate = (ProbeFate)random.Next(3);
            var gate = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            w.Leaf.Script = (_, ct) => gate.Task.WaitAsync(ct);
            w.Leaf.ResetMaxInFlight();
            sent = w.Leaf.Requests;
            using var probeCancel = new CancellationTokenSource();
            var probe = Outcome.Of(w.Client.GetResourcesAsync(cancellationToken: probeCancel.Token));
            await WaitUntil(() => w.Leaf.Requests == sent + 1, $"{at}: the probe reached Leaf");
            var during = await RunAsync(w, Callers);
            Assert.Multiple(() =>
            {
                Assert.That(during.Where(o => !o.RefusedByCircuit).Select(o => o.Describe()), Is.Empty, $"{at}: refused while the probe is out");
                Assert.That(w.Leaf.Requests, Is.EqualTo(sent + 1), $"{at}: only the probe reached Leaf");
                Assert.That(probe.IsCompleted, Is.False, $"{at}: the probe is still out");
                Assert.That(w.Leaf.MaxInFlight, Is.EqualTo(1), $"{at}: one request at Leaf while half-open");
            });

            switch (fate)
            {
                case ProbeFate.Recovers:
                    gate.SetResult(ScriptedLeaf.Ok());
                    Assert.That((await probe.WaitAsync(ScriptedWorld.HangLimit)).Result, Is.Not.Null, $"{at}: the probe answered");
                    break;
                case ProbeFate.StillFailing:
                    gate.SetResult(ScriptedLeaf.Status(HttpStatusCode.ServiceUnavailable));
                    Assert.That((await probe.WaitAsync(ScriptedWorld.HangLimit)).Error, Is.InstanceOf<LeafApiException>(), $"{at}: the probe failed");
                    break;
                default:
                    await probeCancel.CancelAsync();
                    Assert.That((await probe.WaitAsync(ScriptedWorld.HangLimit)).Error, Is.InstanceOf<OperationCanceledException>(), $"{at}: the probe was cancelled");
                    break;
            }

            w.Leaf.Script = static (_, _) => Task.FromResult(ScriptedLeaf.Ok());
            sent = w.Leaf.Requests;
            var after = await RunAsync(w, Callers);
            switch (fate)
            {
                case ProbeFate.Recovers:
                    Assert.That(after.Where(o => o.Result is null).Select(o => o.Describe()), Is.Empty, $"{at}: closed after a good probe");
                    break;
                case ProbeFate.StillFailing:
                    Assert.That(after.Where(o => !o.RefusedByCircuit).Select(o => o.Describe()), Is.Empty, $"{at}: reopened after a bad probe");
                    Assert.That(w.Leaf.Requests, Is.EqualTo(sent), $"{at}: nothing sent after a bad probe");
                    w.Time.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration);
                    Assert.That((await RunAsync(w, 1))[0].Result, Is.Not.Null, $"{at}: the next probe closes it");
                    break;
                default:
                    // No second break: the next caller probes at once, finds Leaf well and closes the circuit; a caller
                    // racing that probe may still be refused, but no call fails otherwise.
                    Assert.That(after.Where(o => o.Result is null && !o.RefusedByCircuit).Select(o => o.Describe()), Is.Empty, $"{at}: after a cancelled probe");
                    Assert.That(after.Count(o => o.Result is not null), Is.Positive, $"{at}: someone probed at once");
                    break;
            }

            Assert.That((await RunAsync(w, Callers)).Where(o => o.Result is null).Select(o => o.Describe()), Is.Empty, $"{at}: closed again");
        }
    }

    [Test]
    public async Task A_probe_that_times_out_while_callers_wait_reopens_the_circuit_for_a_full_break()
    {
        using var w = new ScriptedWorld(o => o.MaxRetries = 0);
        w.Leaf.Script = static (_, _) => Task.FromResult(ScriptedLeaf.Status(HttpStatusCode.ServiceUnavailable));
        await RunAsync(w, Callers);
        Assert.That((await RunAsync(w, 1))[0].RefusedByCircuit, Is.True, "the circuit opened");

        w.Time.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration);
        w.Leaf.Script = static (_, ct) => Task.Delay(Timeout.InfiniteTimeSpan, ct).ContinueWith(_ => ScriptedLeaf.Ok(), TaskScheduler.Default);
        var sent = w.Leaf.Requests;
        var probe = Outcome.Of(w.Client.GetResourcesAsync());
        await WaitUntil(() => w.Leaf.Requests == sent + 1, "the probe reached Leaf");
        var during = await RunAsync(w, Callers);
        w.Time.Advance(TimeSpan.FromSeconds(10));
        var timedOut = await probe.WaitAsync(ScriptedWorld.HangLimit);

        w.Leaf.Script = static (_, _) => Task.FromResult(ScriptedLeaf.Ok());
        var after = await RunAsync(w, Callers);
        w.Time.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration);

        // One probe first: callers racing it would be refused, rightly, while it is out.
        var nextProbe = (await RunAsync(w, 1))[0];
        var recovered = await RunAsync(w, Callers);

        Assert.Multiple(() =>
        {
            Assert.That(during.Where(o => !o.RefusedByCircuit).Select(o => o.Describe()), Is.Empty, "refused while the probe is out");
            Assert.That(timedOut.Error, Is.InstanceOf<LeafApiException>().With.Message.Contains("AttemptTimeout"), "the probe timed out");
            Assert.That(after.Where(o => !o.RefusedByCircuit).Select(o => o.Describe()), Is.Empty, "a timed-out probe is a failure: a full break");
            Assert.That(w.Leaf.Requests, Is.EqualTo(sent + 2 + Callers), "only the two probes, then the recovered calls, reached Leaf");
            Assert.That(nextProbe.Result, Is.Not.Null, "the next probe found Leaf well");
            Assert.That(recovered.Where(o => o.Result is null).Select(o => o.Describe()), Is.Empty, "closed after the next good probe");
        });
    }

    /// <summary>Starts <paramref name="n"/> calls on the thread pool at once and waits (bounded) for them all.</summary>
    internal static async Task<Outcome[]> RunAsync(ScriptedWorld w, int n, CancellationToken cancellationToken = default)
    {
        var calls = Enumerable.Range(0, n).Select(_ => Task.Run(() => Outcome.Of(w.Client.GetResourcesAsync(cancellationToken: cancellationToken)), CancellationToken.None)).ToArray();
        return await Task.WhenAll(calls).WaitAsync(ScriptedWorld.HangLimit, CancellationToken.None);
    }

    internal static Task WaitUntil(Func<bool> condition, string what) => Resilience.ResilienceHarness.WaitUntilAsync(condition, what);
}

/// <summary>How one call ended.</summary>
internal sealed record Outcome(SyncSummaryResponse? Result, Exception? Error)
{
    public bool RefusedByCircuit => Error is LeafApiException { StatusCode: null } e && e.Message.Contains("circuit open", StringComparison.Ordinal);

    public static async Task<Outcome> Of(Task<SyncSummaryResponse> call)
    {
        try
        {
            return new Outcome(await call.ConfigureAwait(false), null);
        }
        catch (Exception ex)
        {
            return new Outcome(null, ex);
        }
    }

    public string Describe() => Result is not null ? "answered" : $"{Error!.GetType().Name}: {Error.Message}";
}
