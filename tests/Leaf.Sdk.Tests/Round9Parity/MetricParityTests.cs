using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Parity;

/// <summary>
/// The metrics a call records (Polly's and System.Net.Http's), the same for both clients. Not parallel: a meter
/// listener hears every client in the process, and nothing in those metrics says which client a measurement is from.
/// </summary>
[NonParallelizable]
public sealed class MetricParityTests
{
    private static readonly string[] Names =
    [
        "documented example", "provider and user filters", "401 then 200, credentials", "login refused", "503 then 200",
        "network refusal", "attempt time-out", "broken body", "circuit opens", "cancelled during the call",
    ];

    public static IEnumerable<ParityTests.Scenario> Scenarios() => ParityTests.Scenarios().Where(s => Names.Contains(s.Name));

    [TestCaseSource(nameof(Scenarios))]
    public async Task Both_clients_record_the_same_metrics(ParityTests.Scenario scenario)
    {
        var standalone = await MeasureAsync(scenario, ClientKind.Standalone);
        var di = await MeasureAsync(scenario, ClientKind.DependencyInjection);
        Assert.That(standalone, Is.Not.Empty, "the listener hears the calls");
        Assert.That(di, Is.EqualTo(standalone), () => "only standalone: " + string.Join("; ", standalone.Except(di)) + " only DI: " + string.Join("; ", di.Except(standalone)) + " counts " + standalone.Count + "/" + di.Count);
    }

    private static async Task<List<string>> MeasureAsync(ParityTests.Scenario scenario, ClientKind kind)
    {
        var measured = new ConcurrentQueue<string>();
        using (var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name is "Polly" or "System.Net.Http")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        })
        {
            // Durations and connection counts vary from run to run: the instrument and its tags are what is compared.
            meters.SetMeasurementEventCallback<long>((i, v, tags, _) => measured.Enqueue(Describe(i, tags)));
            meters.SetMeasurementEventCallback<int>((i, v, tags, _) => measured.Enqueue(Describe(i, tags)));
            meters.SetMeasurementEventCallback<double>((i, _, tags, _) => measured.Enqueue(Describe(i, tags)));
            meters.Start();
            await ParityTests.RunAsync(scenario, kind);
        }

        // Connection metrics are left out: the DI client's login and calls have a connection pool each (IHttpClientFactory
        // gives every named client its own primary handler), the standalone client's share one, so after a login the
        // DI client opens one more connection, and its first call waits for it (time_in_queue).
        return [.. measured.Where(m => !m.StartsWith("http.client.open_connections", StringComparison.Ordinal)
            && !m.StartsWith("http.client.connection.duration", StringComparison.Ordinal)
            && !m.StartsWith("http.client.request.time_in_queue", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    private static string Describe(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            if (tag.Key != "server.port")
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{tag.Key}={tag.Value}"));
            }
        }

        parts.Sort(StringComparer.Ordinal);
        return instrument.Name + " " + string.Join(",", parts);
    }
}
