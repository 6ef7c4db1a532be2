using System.Diagnostics;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round13Obs;

/// <summary>
/// The SDK lowers Polly's per-attempt log events to Debug, and says Polly's metrics are unchanged by it: an SRE who
/// charts or alerts on <c>resilience.polly.strategy.events</c> by <c>event.severity</c> (as Polly documents the tag)
/// must still see a retry as a Warning and an attempt time-out as an Error.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class PollyMetricSeverityTests
{
    [Test]
    public async Task Polly_s_metrics_keep_Polly_s_severities_while_its_logs_are_lowered([Values] ClientKind kind)
    {
        // The first attempt never answers, so only the fake clock times it out; the retry gets Leaf's example.
        using var raw = new RawHttpServer(n => n == 1 ? [] : RawHttpServer.Ok, stallAfterReply: true);
        using var h = new ResilienceHarness(kind, o => o.AttemptTimeout = TimeSpan.FromSeconds(10), baseAddress: raw.Url);
        using var parent = new Activity("r13-metric-severity").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var measurements = new PollyMeasurements(parent.TraceId);
        var events = measurements.Recorded;

        await h.DriveAsync(() => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () => raw.Requests >= h.AttemptsSent);

        string? Severity(string eventName, string? handled = null) =>
            events.Where(e => e.Tags.GetValueOrDefault("pipeline.name") == "Leaf.Sdk" && e.Tags.GetValueOrDefault("event.name") == eventName
                              && (handled is null || e.Tags.GetValueOrDefault("attempt.handled") == handled))
                  .Select(e => e.Tags.GetValueOrDefault("event.severity")).FirstOrDefault();
        Assert.Multiple(() =>
        {
            Assert.That(h.RetryEvents, Has.Count.EqualTo(1), "the call was retried once, after an attempt time-out");
            Assert.That(Severity("OnRetry"), Is.EqualTo("Warning"), "Polly reports a retry as a Warning");
            Assert.That(Severity("OnTimeout"), Is.EqualTo("Error"), "Polly reports a time-out as an Error");
            Assert.That(Severity("ExecutionAttempt", handled: "True"), Is.EqualTo("Warning"), "Polly reports a failed, handled attempt as a Warning");
            Assert.That(Severity("ExecutionAttempt", handled: "False"), Is.EqualTo("Information"), "and one that went well as Information");
            Assert.That(h.Logs.Collector.GetSnapshot().Where(r => r.Category == "Polly").Select(r => r.Level),
                Has.All.EqualTo(Microsoft.Extensions.Logging.LogLevel.Debug), "the logs are still lowered");
        });
    }
}
