using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>
/// Polly's metric measurements made under one trace: a meter listener hears every test in the process, and Polly records
/// inline in the call, so the call's trace tells a test's measurements apart. Start an <see cref="Activity"/> first.
/// </summary>
internal sealed class PollyMeasurements : IDisposable
{
    private readonly MeterListener _listener;
    private readonly ActivityTraceId _trace;

    public PollyMeasurements(ActivityTraceId trace)
    {
        _trace = trace;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Polly")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<int>((i, _, tags, _) => Record(i, tags));
        _listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        _listener.Start();
    }

    /// <summary>Each measurement: its instrument's name and its tags as text.</summary>
    public ConcurrentQueue<(string Instrument, Dictionary<string, string?> Tags)> Recorded { get; } = new();

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Activity.Current?.TraceId != _trace)
        {
            return;
        }

        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        Recorded.Enqueue((instrument.Name, map));
    }
}
