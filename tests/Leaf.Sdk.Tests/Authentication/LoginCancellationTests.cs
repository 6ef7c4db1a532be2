using System.Diagnostics;
using Leaf.Sdk.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>A caller that gives up during the login stops waiting at once; the shared login carries on for the others.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginCancellationTests
{
    private static readonly TimeSpan LoginLatency = TimeSpan.FromMilliseconds(900);

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_cancelled_caller_returns_at_once_and_the_other_caller_shares_the_login(ClientKind kind)
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)), LoginLatency);
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server));
        using var cts = new CancellationTokenSource();

        // Runs the cancellation path once, so the timing below measures the SDK rather than the JIT.
        await Expect.Cancelled(client.Client.GetResourcesAsync(cancellationToken: new CancellationToken(true)));
        var patient = client.Client.GetResourcesAsync();
        var impatient = client.Client.GetResourcesAsync(cancellationToken: cts.Token);
        var source = (LeafLoginTokenSource)client.TokenSource;
        while (source.LoginCount == 0)
        {
            await Task.Delay(5);
        }

        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Expect.Cancelled(impatient);
        var cancelledAfter = clock.Elapsed;
        var loginStillRunning = !patient.IsCompleted;
        var response = await patient;
        var again = await client.Client.GetResourcesAsync();

        await TestContext.Out.WriteLineAsync($"measured[{kind}]: the caller cancelled during the login returned {cancelledAfter.TotalMilliseconds:0} ms after its cancellation; the login took {LoginLatency.TotalMilliseconds:0} ms");
        Assert.That(loginStillRunning, Is.True, "the cancelled caller did not wait for the login to finish");
        Assert.That(cancelledAfter, Is.LessThan(LoginLatency), "cancellation is honoured during the login");
        Assert.That(impatient.IsCanceled, Is.True);
        Assert.That(response.Summaries, Has.Count.EqualTo(1));
        Assert.That(again.Summaries, Has.Count.EqualTo(1));
        Assert.That(server.LoginRequests(), Is.EqualTo(1), "one login served both callers and the next call");
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_lone_cancelled_caller_does_not_poison_the_cache(ClientKind kind)
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)), LoginLatency);
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Expect.Cancelled(client.Client.GetResourcesAsync(cancellationToken: cts.Token));
        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
        Assert.That(server.LoginRequests(), Is.EqualTo(1), "the next call reuses the login the cancelled caller started");
        Assert.That(server.ResourceAuthorizations(), Has.Count.EqualTo(1));
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
