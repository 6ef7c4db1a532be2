using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaf.Sdk.Tests.Round9Cancel;

/// <summary>
/// The sync checks and the health check over them, cancelled mid-call: the caller's cancellation comes out as it
/// went in, not as a failed check (an Unhealthy result would page someone for an aborted /health request).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class CancelChecksTests
{
    private static readonly Guid First = Guid.Parse(LeafJson.UserId);
    private static readonly Guid Second = Guid.Parse("0f0e0d0c-0b0a-4909-8807-060504030201");

    [Test]
    public async Task A_cancelled_sync_check_is_the_callers_cancellation([Values] ClientKind kind, [Values] Auth auth)
    {
        using var w = new CancelWorld(kind, auth);
        w.Server.Resources = n => n == 1 ? Answer.HoldHeaders : Answer.Ok;
        using var cts = new CancellationTokenSource();

        var check = w.Client.CheckSyncAsync(First, timeProvider: w.Time, cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => w.Server.ResourceRequests == 1, "the request reached the server");
        await cts.CancelAsync();
        var cancelled = await Expect.Cancelled(check.WaitAsync(CancelWorld.RealTimeBound));
        var next = await w.Client.CheckSyncAsync(First, timeProvider: w.Time).WaitAsync(CancelWorld.RealTimeBound);
        await w.AllConnectionsClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(cancelled, Is.Not.InstanceOf<LeafApiException>());
            Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token));
            Assert.That(w.Complaints, Is.Empty, CancelWorld.Describe(w.Complaints));
            Assert.That(next.Response.Summaries, Has.Count.EqualTo(1), "the next check works");
        });
    }

    [Test]
    public async Task A_sync_check_with_a_token_already_cancelled_sends_nothing([Values] ClientKind kind, [Values] Auth auth)
    {
        using var w = new CancelWorld(kind, auth);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var cancelled = await Expect.Cancelled(w.Client.CheckSyncAsync(First, cancellationToken: cts.Token));

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token));
            Assert.That(w.Server.ResourceRequests + w.TokenRequests, Is.Zero, "no token was fetched and no request sent");
        });
    }

    // The health check runs one call per user; the cancellation comes during the second, after the first succeeded.
    [Test]
    public async Task A_health_check_cancelled_between_users_is_the_callers_cancellation(
        [Values] ClientKind kind, [Values] Auth auth, [Values(0, 1, 2)] int users)
    {
        using var w = new CancelWorld(kind, auth);
        var held = users == 2 ? 2 : 1;
        w.Server.Resources = n => n == held ? Answer.HoldHeaders : Answer.Ok;
        var options = new LeafSyncHealthCheckOptions();
        foreach (var user in new[] { First, Second }.Take(users))
        {
            options.LeafUserIds.Add(user);
        }

        var check = new LeafSyncHealthCheck(w.Client, options, w.Time);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("leaf", check, HealthStatus.Unhealthy, null) };
        using var cts = new CancellationTokenSource();

        var run = check.CheckHealthAsync(context, cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => w.Server.ResourceRequests == held, "the request reached the server");
        await cts.CancelAsync();
        var cancelled = await Expect.Cancelled(run.WaitAsync(CancelWorld.RealTimeBound));
        var next = await check.CheckHealthAsync(context).WaitAsync(CancelWorld.RealTimeBound);
        await w.AllConnectionsClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token));
            Assert.That(w.Complaints, Is.Empty, CancelWorld.Describe(w.Complaints));
            Assert.That(next.Exception, Is.Null, "the next check reached Leaf and read its answer");
            Assert.That(w.Server.ResourceRequests, Is.EqualTo(held + Math.Max(users, 1)));
        });
    }
}
