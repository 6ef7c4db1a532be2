using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using WireMock.ResponseBuilders;

// Not "Leaf.Sdk.Tests.Diagnostics": inside Leaf.Sdk.Tests.* that name would hide Leaf.Sdk.Diagnostics.
namespace Leaf.Sdk.Tests.LogsAndTraces;

/// <summary>
/// A failed call is one Error in the log, the SDK's own (with the reason and the attempts): an app that alerts on
/// errors gets one alert per failed call, not one per attempt or per Polly strategy that saw the same failure. Each
/// retry before it is one Warning, the SDK's.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class OneErrorPerFailedCallTests
{
    [Test]
    public async Task Retries_exhausted_on_503([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 2);
        h.Always(ResilienceHarness.Status(503));

        await FailsAsync(h);

        AssertOneSdkError(h, retries: 2);
    }

    [Test]
    public async Task Retries_exhausted_on_a_network_error([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 1);
        h.Server.Stop();

        await FailsAsync(h);

        AssertOneSdkError(h, retries: 1);
    }

    [Test]
    public async Task Every_attempt_timed_out()
    {
        using var h = new ResilienceHarness(ClientKind.Standalone, o =>
        {
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(150);
            o.RetryBaseDelay = TimeSpan.Zero;
        }, fakeTime: false);
        h.Always(Response.Create().WithDelay(TimeSpan.FromSeconds(3)).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));

        await FailsAsync(h);

        AssertOneSdkError(h, retries: 1);
    }

    [Test]
    public async Task The_total_time_out_ran_out()
    {
        using var h = new ResilienceHarness(ClientKind.Standalone, o =>
        {
            o.MaxRetries = 3;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            o.TotalTimeout = TimeSpan.FromMilliseconds(300);
            o.RetryBaseDelay = TimeSpan.Zero;
        }, fakeTime: false);
        h.Always(Response.Create().WithDelay(TimeSpan.FromSeconds(3)).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));

        await FailsAsync(h);

        AssertOneSdkError(h, retries: null);
    }

    [TestCase(404)]
    [TestCase(400)]
    public async Task A_status_that_is_not_retried(int status)
    {
        using var h = new ResilienceHarness(ClientKind.Standalone, o => o.MaxRetries = 2);
        h.Always(ResilienceHarness.Status(status));

        await FailsAsync(h);

        AssertOneSdkError(h, retries: 0);
        Assert.That(
            h.Logs.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Error).Message,
            Does.StartWith($"Leaf: the Sync Summary request failed after 1 attempt(s): Leaf answered {status} "),
            "the message reads as a sentence: what failed, after how many attempts, and why");
    }

    // The login has a pipeline of its own (no breaker, no retry on a 4xx); a refused login is the SDK's Warning
    // (LoginFailed) and the call's one Error.
    [TestCase(503, 2)]
    [TestCase(401, 0)]
    public async Task The_login_failed(int status, int retries)
    {
        using var h = new ResilienceHarness(ClientKind.Standalone, o =>
        {
            o.AccessToken = null;
            o.Username = "user@example.com";
            o.Password = "Pw-" + Guid.NewGuid().ToString("N");
            o.MaxRetries = 2;
        });
        h.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/api/authenticate").UsingPost())
            .RespondWith(ResilienceHarness.Status(status));

        var task = h.Client.GetResourcesAsync();
        await h.DriveUntilAsync(task, gate: ResilienceHarness.AnyTime);
        Assert.That(async () => await task, Throws.InstanceOf<LeafApiException>());

        AssertOneSdkError(h, retries: retries);
        Assert.That(h.Logs.Collector.GetSnapshot().Where(r => r.Id.Id == 6).Select(r => r.Level), Is.EqualTo(new[] { LogLevel.Warning }), "one LoginFailed");
    }

    private static async Task FailsAsync(ResilienceHarness h)
    {
        var task = h.Client.GetResourcesAsync();
        await h.DriveUntilAsync(task);
        Assert.That(async () => await task, Throws.InstanceOf<LeafApiException>());
    }

    private static void AssertOneSdkError(ResilienceHarness h, int? retries)
    {
        var records = h.Logs.Collector.GetSnapshot();
        var errors = records.Where(r => r.Level >= LogLevel.Error).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => $"{e.Category} {e.Id.Name}: {e.Message}").ToList(), Has.Count.EqualTo(1), "one Error per failed call");
            Assert.That(errors.Select(e => (e.Category, e.Id.Id)), Has.Some.EqualTo(("Leaf.Sdk.IntegrationsClient", 8)), "the SDK's CallFailed");
            if (retries is { } count)
            {
                Assert.That(h.RetryEvents, Has.Count.EqualTo(count), "one Warning per retry");
            }

            // Polly still reports the failed attempts, retries and time-outs, at Debug: the SDK's events say it once.
            Assert.That(records.Where(r => r.Category == "Polly" && r.Level >= LogLevel.Warning).Select(r => r.Message), Is.Empty);
            Assert.That(records.Where(r => r.Category == "Polly" && r.Level == LogLevel.Debug && r.Message.StartsWith("Execution attempt", StringComparison.Ordinal)), Is.Not.Empty);
            Assert.That(records.Where(r => r.Level == LogLevel.Warning).Select(r => r.Id.Id), Has.All.EqualTo(2).Or.EqualTo(6), "the SDK's Retrying and LoginFailed are the only Warnings");
        });
    }
}
