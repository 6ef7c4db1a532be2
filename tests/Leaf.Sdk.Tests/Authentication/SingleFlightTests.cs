using System.Diagnostics;
using Leaf.Sdk.Authentication;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>Any number of concurrent calls on a cold, expired or rejected token share one login.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SingleFlightTests
{
    private const int Callers = 100;

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Concurrent_calls_on_a_cold_cache_then_after_expiry_cause_one_login_each(ClientKind kind)
    {
        var time = new FakeTimeProvider();
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = time });

        // Latency keeps the login in flight while all the callers arrive; it runs on the fake clock, which the calls move.
        server.Latency = TimeSpan.FromMilliseconds(100);
        using var client = TestClient.Create(kind, server.CreateLoginOptions(), time);

        await CallConcurrently(client.Client, time);
        var coldLogins = server.LoginCount;
        time.Advance(TimeSpan.FromDays(30) - LeafLoginTokenSource.RenewalMargin + TimeSpan.FromSeconds(1));
        await CallConcurrently(client.Client, time);
        var afterExpiryLogins = server.LoginCount - coldLogins;

        await TestContext.Out.WriteLineAsync($"measured[{kind}]: {Callers} concurrent calls, cold cache -> {coldLogins} login(s); after expiry -> {afterExpiryLogins} more");
        Assert.That(coldLogins, Is.EqualTo(1));
        Assert.That(afterExpiryLogins, Is.EqualTo(1));
        Assert.That(server.Requests.Count(r => r.Path == FakeLeafServer.ResourcesPath && r.StatusCode == 200), Is.EqualTo(2 * Callers));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Concurrent_401s_cause_one_renewal(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, server.CreateLoginOptions());
        await client.Client.GetResourcesAsync();
        server.RevokeTokens();
        server.Latency = TimeSpan.FromMilliseconds(100);

        await CallConcurrently(client.Client);
        var renewals = server.LoginCount - 1;
        var rejected = server.Requests.Count(r => r.StatusCode == 401);

        await TestContext.Out.WriteLineAsync($"measured[{kind}]: {Callers} concurrent calls after revocation -> {rejected} answered 401, {renewals} renewal login(s)");
        Assert.That(renewals, Is.EqualTo(1));
        Assert.That(rejected, Is.GreaterThan(1), "the callers really did hit 401 concurrently");
    }

    /// <param name="client">The client to call.</param>
    /// <param name="time">
    /// The fake clock of the server (its latency) and client, moved as the real clock moves (up to 10 ms a step) until the
    /// calls end, so the server's latency passes as slowly as it would on a real clock; <see langword="null"/>: real time.
    /// </param>
    private static async Task CallConcurrently(IIntegrationsClient client, FakeTimeProvider? time = null)
    {
        var calls = Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(() => client.GetResourcesAsync())));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var last = Stopwatch.GetTimestamp();
        while (time is not null && !calls.IsCompleted)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the calls did not finish within 20 s of real time");
            await Task.Delay(1);

            // As much as really passed (at least 1 ms, at most 10): one millisecond per pass fell far behind the real
            // clock at a load average of 40, where a pass took tens of milliseconds, and ran out the 20 s.
            var now = Stopwatch.GetTimestamp();
            time.Advance(TimeSpan.FromMilliseconds(Math.Clamp(Stopwatch.GetElapsedTime(last, now).TotalMilliseconds, 1, 10)));
            last = now;
        }

        var results = await calls;
        Assert.That(results, Has.All.Property(nameof(SyncSummaryResponse.Message)).EqualTo("SUCCESS"));
    }
}
