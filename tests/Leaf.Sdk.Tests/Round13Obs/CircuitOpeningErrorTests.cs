using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Leaf.Sdk.Tests.Round13Obs;

/// <summary>
/// README (Logs and traces): the breaker's opening is an Error "once per outage". An outage outlasts the 15 s break:
/// each call let through after it (the half-open probe) meets the same outage and opens the circuit again, and an
/// alert on Errors must not fire again every 15 s for as long as it lasts. The metrics still count every opening.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class CircuitOpeningErrorTests
{
    [Test]
    public async Task A_long_outage_opens_the_circuit_with_one_Error_and_reopens_it_at_Debug([Values] ClientKind kind)
    {
        using var h = Harness(kind);
        await OutageAsync(h);

        Assert.That(Openings(h), Is.EqualTo(new[] { LogLevel.Error }), "the tenth failure in the window opens the circuit");

        // Two more breaks: each time the call let through meets the same 503.
        for (var probe = 0; probe < 2; probe++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(16));
            await FailsAsync(h);
        }

        Assert.Multiple(() =>
        {
            Assert.That(h.Requests, Is.EqualTo(12), "each break ended with one call let through");
            Assert.That(Openings(h), Has.Count.EqualTo(3), "the circuit opened, and opened again after each failed probe");
            Assert.That(Openings(h), Is.EqualTo(new[] { LogLevel.Error, LogLevel.Debug, LogLevel.Debug }), "one Error for the outage");
        });
    }

    [Test]
    public async Task A_new_outage_after_the_circuit_closed_is_an_Error_again([Values] ClientKind kind)
    {
        using var h = Harness(kind);
        await OutageAsync(h);

        // Leaf recovers: the probe succeeds and closes the circuit; later a new outage opens it again.
        h.Server.Reset();
        h.Server.Resources(LeafJson.DocumentedExample);
        h.Time.Advance(TimeSpan.FromSeconds(16));
        await h.Client.GetResourcesAsync();
        h.Server.Reset();
        h.Time.Advance(TimeSpan.FromSeconds(31));
        await OutageAsync(h);

        Assert.That(Openings(h), Is.EqualTo(new[] { LogLevel.Error, LogLevel.Error }), "two outages, two Errors");
    }

    private static List<LogLevel> Openings(ResilienceHarness h) =>
        [.. h.Logs.Collector.GetSnapshot()
            .Where(r => r.Category == "Polly" && r.StructuredState?.Any(kv => kv.Key == "EventName" && kv.Value == "OnCircuitOpened") == true)
            .Select(r => r.Level)];

    private static ResilienceHarness Harness(ClientKind kind) => new(kind, o =>
    {
        o.MaxRetries = 0;
        o.EnableCircuitBreaker = true;
    });

    // Leaf answers 503 from now on, and ten calls fail: the breaker's minimum throughput, all failures, opens it.
    private static async Task OutageAsync(ResilienceHarness h)
    {
        h.Always(ResilienceHarness.Status(503));
        for (var i = 0; i < 10; i++)
        {
            await FailsAsync(h);
        }
    }

    private static async Task FailsAsync(ResilienceHarness h) => await Assert.CatchAsync<LeafApiException>(() => h.Client.GetResourcesAsync());
}
