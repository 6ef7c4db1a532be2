using Leaf.Sdk.Authentication;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>A caller that gives up during the login stops waiting at once; the shared login carries on for the others.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginCancellationTests
{
    // The login is held on the server's fake clock until the test advances it: while it is held, nothing but the
    // SDK's own handling of cancellation can end the cancelled call, however slow the machine.
    private static readonly TimeSpan LoginLatency = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RealTimeBound = TimeSpan.FromSeconds(10);

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_cancelled_caller_returns_at_once_and_the_other_caller_shares_the_login(ClientKind kind)
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = LoginLatency;
        using var client = TestClient.Create(kind, server.CreateLoginOptions());
        var source = (LeafLoginTokenSource)client.TokenSource;
        using var cts = new CancellationTokenSource();

        // The impatient caller starts the login, so a login that took its caller's token would be cancelled with it.
        var impatient = client.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => clock.TimersCreated == 1, "the server holds the login on its clock");
        var patient = client.Client.GetResourcesAsync();

        await cts.CancelAsync();
        await Expect.Cancelled(impatient.WaitAsync(RealTimeBound));
        var loginStillRunning = !patient.IsCompleted && server.LoginCount == 0;

        // Later answers go at once; the held login goes when the clock passes its latency.
        server.Latency = TimeSpan.Zero;
        clock.Advance(LoginLatency);
        var response = await patient.WaitAsync(RealTimeBound);
        var again = await client.Client.GetResourcesAsync().WaitAsync(RealTimeBound);

        Assert.Multiple(() =>
        {
            Assert.That(loginStillRunning, Is.True, "the cancelled caller returned while the login was still held");
            Assert.That(impatient.IsCanceled, Is.True);
            Assert.That(response.Summaries, Is.Not.Empty);
            Assert.That(again.Summaries, Is.Not.Empty);
            Assert.That(source.LoginCount, Is.EqualTo(1), "one login served both callers and the next call");
            Assert.That(server.LoginCount, Is.EqualTo(1));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_lone_cancelled_caller_does_not_poison_the_cache(ClientKind kind)
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = LoginLatency;
        using var client = TestClient.Create(kind, server.CreateLoginOptions());
        using var cts = new CancellationTokenSource();

        var cancelled = client.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => clock.TimersCreated == 1, "the server holds the login on its clock");
        await cts.CancelAsync();
        await Expect.Cancelled(cancelled.WaitAsync(RealTimeBound));
        server.Latency = TimeSpan.Zero;
        clock.Advance(LoginLatency);
        var response = await client.Client.GetResourcesAsync().WaitAsync(RealTimeBound);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Empty);
            Assert.That(server.LoginCount, Is.EqualTo(1), "the next call reuses the login the cancelled caller started");
            Assert.That(server.Requests.Count(r => r.Path == FakeLeafServer.ResourcesPath), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task An_already_cancelled_call_sends_nothing()
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)));
        using var client = TestClient.Create(ClientKind.Standalone, AuthStub.LoginOptions(server));

        await Expect.Cancelled(client.Client.GetResourcesAsync(cancellationToken: new CancellationToken(true)));
        await Task.Yield();

        Assert.That(server.LogEntries, Is.Empty);
    }

    [Test]
    public async Task The_login_does_not_need_the_callers_synchronization_context()
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)));
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(ClientKind.Standalone, AuthStub.LoginOptions(server));

        // A UI thread blocked on .Result never runs what is posted to its context; the SDK must not depend on it.
        var blocked = new NeverRunningContext();
        var previous = SynchronizationContext.Current;
        Task<SyncSummaryResponse> call;
        SynchronizationContext.SetSynchronizationContext(blocked);
        try
        {
            call = client.Client.GetResourcesAsync();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
        Assert.That(blocked.Posts, Is.Zero);
    }

    private sealed class NeverRunningContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posts);

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();
    }
}
