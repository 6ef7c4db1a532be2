using Leaf.Sdk.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// The Leaf pipeline on the system clock allocates nothing for a call whose attempt is done at once. A clock of the
/// SDK's own between Polly and <see cref="TimeProvider.System"/> (one that hides wall-clock steps from the breaker, say)
/// would cost every call two token sources and two timers, 0.5–0.6 KB, since Polly pools them for the system clock
/// only. Allocations, not timings: they are exact.
/// </summary>
[NonParallelizable] // a MeterListener of a test running alongside would record Polly's metrics on this thread
public sealed class PipelineAllocationTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void A_call_whose_attempt_is_done_at_once_allocates_nothing_in_the_pipeline(bool forLogin)
    {
        var pipeline = LeafResiliencePipelineFactory.Create(new LeafClientOptions(), forLogin, TimeProvider.System, NullLoggerFactory.Instance);
        using var done = new HttpResponseMessage();
        using var cancellation = new CancellationTokenSource();
        for (var i = 0; i < 200; i++)
        {
            Execute(pipeline, done, cancellation.Token);
        }

        const int Calls = 1_000;
        var doneAtOnce = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            doneAtOnce += Execute(pipeline, done, cancellation.Token) ? 1 : 0;
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;

        Assert.Multiple(() =>
        {
            // Done at once, so the whole pipeline ran on this thread, and the measurement saw all of it.
            Assert.That(doneAtOnce, Is.EqualTo(Calls), "executions that completed synchronously");
            Assert.That(perCall, Is.LessThan(16), "bytes per call in the Polly pipeline");
        });
    }

    private static bool Execute(ResiliencePipeline<HttpResponseMessage> pipeline, HttpResponseMessage done, CancellationToken token)
    {
        var context = ResilienceContextPool.Shared.Get(token);
        var outcome = pipeline.ExecuteOutcomeAsync(static (_, done) => ValueTask.FromResult(Outcome.FromResult(done)), context, done);
        var atOnce = outcome.IsCompletedSuccessfully && ReferenceEquals(outcome.Result.Result, done);
        ResilienceContextPool.Shared.Return(context);
        return atOnce;
    }
}
