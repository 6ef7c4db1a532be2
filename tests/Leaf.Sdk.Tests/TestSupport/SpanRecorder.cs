using System.Collections.Concurrent;
using System.Diagnostics;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>Records the spans of one test's trace (listeners are process-wide): the SDK's, or every source's.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanRecorder(bool allSources = false)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => allSources || source.Name == "Leaf.Sdk",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The test's trace: set it to the trace of an activity the test started.</summary>
    public ActivityTraceId TraceId { get; set; }

    /// <summary>The stopped spans of <see cref="TraceId"/> from named sources, in the order they stopped.</summary>
    public IReadOnlyList<Activity> Recorded => [.. _stopped.Where(a => a.TraceId == TraceId && a.Source.Name.Length > 0)];

    public void Dispose() => _listener.Dispose();
}
