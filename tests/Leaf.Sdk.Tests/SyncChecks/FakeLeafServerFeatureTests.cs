using System.Net;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.SyncChecks;

/// <summary>The fake server's features as a user testing their own code would use them, through <see cref="Leaf.Sdk.SyncChecks.CheckSyncAsync"/>.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafServerFeatureTests
{
    [Test]
    public async Task A_summary_seeded_with_the_enum_only_is_found_by_the_provider_filter()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        var user = Guid.NewGuid();
        server.Seed([
            new SyncSummary { Provider = Provider.JohnDeere, LeafUserId = user, Fields = 3 },
            new SyncSummary { Provider = Provider.Trimble, LeafUserId = user, Fields = 4 },
        ]);
        using var client = new IntegrationsClient(server.CreateClientOptions());

        var filtered = await client.GetResourcesAsync(Provider.JohnDeere);

        Assert.That(filtered.Summaries.Select(s => (s.Provider, s.Fields)), Is.EqualTo(new[] { (Provider.JohnDeere, (int?)3) }));
    }

    [Test]
    public async Task A_seeded_sync_time_comes_back_to_the_tick()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        var seeded = new SyncSummary
        {
            Provider = Provider.JohnDeere,
            ProviderName = "JohnDeere",
            LeafUserId = Guid.NewGuid(),
            Fields = 3,
            SyncReferenceTime = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567),
        };
        server.Seed([seeded]);
        using var client = new IntegrationsClient(server.CreateClientOptions());

        var back = (await client.GetResourcesAsync()).Summaries.Single();

        Assert.That(back, Is.EqualTo(seeded));
    }

    [Test]
    public void The_fake_listens_on_loopback_only()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });

        // Its demo credentials work for anyone who can reach it: nobody else on the network should.
        var listeners = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners()
            .Where(endpoint => endpoint.Port == server.BaseAddress.Port)
            .ToList();

        Assert.That(listeners, Is.Not.Empty.And.All.Matches<IPEndPoint>(endpoint => endpoint != null && IPAddress.IsLoopback(endpoint.Address)));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Check_sync_fetches_one_user_and_checks_it(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, server.CreateClientOptions());

        var report = await client.Client.CheckSyncAsync(DemoUsers.NeedsAttention, new SyncExpectations { ExpectedProviders = { Provider.JohnDeere } });

        Assert.Multiple(() =>
        {
            Assert.That(report.LeafUserId, Is.EqualTo(DemoUsers.NeedsAttention));
            Assert.That(report.HasErrors, Is.True);
            Assert.That(report.Response.Summaries.Select(s => s.LeafUserId), Has.All.EqualTo(DemoUsers.NeedsAttention));
            Assert.That(server.Requests.Single().Query["leafUserId"], Is.EqualTo(DemoUsers.NeedsAttention.ToString()));
        });
    }

    [Test]
    public async Task Seeded_summaries_are_what_the_check_sees()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        var user = Guid.NewGuid();
        server.Seed([new SyncSummary { Provider = Provider.Stara, ProviderName = "Stara", LeafUserId = user, Fields = 3, SyncReferenceTime = DateTimeOffset.UtcNow }]);
        server.Add(new SyncSummary { Provider = Provider.JohnDeere, ProviderName = "JohnDeere", LeafUserId = user, Growers = 1, Farms = 1, Fields = 0, SyncReferenceTime = DateTimeOffset.UtcNow });
        using var client = new IntegrationsClient(server.CreateClientOptions());

        var report = await client.CheckSyncAsync(user, new SyncExpectations { MinimumFields = 5 });

        Assert.That(report.Findings.Select(f => (f.Code, f.Provider)), Is.EquivalentTo(new[]
        {
            (SyncFindingCode.NoFields, Provider.JohnDeere),
            (SyncFindingCode.BelowExpectedScope, Provider.Stara),
        }));
    }

    [Test]
    public async Task Outage_for_fewer_calls_than_the_retries_is_ridden_out()
    {
        using var h = new ResilienceHarness(ClientKind.Standalone);
        using var server = StartOnTheHarnessClock(h);
        server.FailNext(2);

        var report = await h.DriveAsync(() => h.Client.CheckSyncAsync(DemoUsers.Healthy, timeProvider: h.Time));

        Assert.Multiple(() =>
        {
            Assert.That(report.IsHealthy, Is.True);
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 503, 503, 200 }));
            Assert.That(h.RetryEvents, Has.Count.EqualTo(2), "each 503 was waited out on the fake clock");
        });
    }

    [Test]
    public async Task Outage_longer_than_the_retries_is_a_transient_leaf_api_exception()
    {
        using var h = new ResilienceHarness(ClientKind.Standalone, o => o.MaxRetries = 1);
        using var server = StartOnTheHarnessClock(h);
        server.FailNext(5, HttpStatusCode.BadGateway);

        var ex = await Assert.ThrowsAsync<LeafApiException>(() => h.DriveAsync(() => h.Client.CheckSyncAsync(DemoUsers.Healthy, timeProvider: h.Time)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(server.Requests, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task Rate_limit_sends_retry_after_in_seconds()
    {
        using var server = FakeLeafServer.Start();
        server.RateLimitNext(1, TimeSpan.FromMilliseconds(1500));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, FakeLeafServer.ResourcesPath));
        request.Headers.Authorization = new("Bearer", server.AccessToken);

        using var limited = await http.SendAsync(request);
        using var next = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, FakeLeafServer.ResourcesPath)) { Headers = { Authorization = new("Bearer", server.AccessToken) } });

        Assert.Multiple(() =>
        {
            Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)), "whole seconds, rounded up");
            Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Rate_limit_is_waited_out_as_retry_after_asks()
    {
        using var h = new ResilienceHarness(ClientKind.Standalone);
        using var server = StartOnTheHarnessClock(h);
        server.RateLimitNext(1, TimeSpan.FromSeconds(1));

        var call = h.Client.CheckSyncAsync(DemoUsers.Healthy, timeProvider: h.Time);
        await ResilienceHarness.WaitUntilAsync(() => h.RetryEvents.Count == 1, "the retry is scheduled");
        await Task.Delay(20);   // Polly starts the back-off's timer just after its "Retrying" event

        h.Time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50);
        var requestsBeforeTheWaitEnds = server.Requests.Count;
        await h.DriveUntilAsync(call);
        var report = await call;

        Assert.Multiple(() =>
        {
            Assert.That(report.IsHealthy, Is.True);
            Assert.That(FaultMatrixTests.DelayMs(h.RetryEvents.Single()), Is.EqualTo(1000), "the 100 ms back-off was replaced by Retry-After");
            Assert.That(requestsBeforeTheWaitEnds, Is.EqualTo(1), "no retry before the fake clock passed 1 s");
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 429, 200 }));
            Assert.That(h.Time.GetUtcNow() - ResilienceHarness.Epoch, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task Latency_beyond_the_attempt_timeout_fails_the_call()
    {
        using var h = new ResilienceHarness(ClientKind.Standalone, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.MaxRetries = 0;
        });
        using var server = StartOnTheHarnessClock(h);
        server.Latency = TimeSpan.FromSeconds(4);

        // The clock moves while the request is on the wire: the answer is due at 4 s, the attempt gives up at 1 s.
        var ex = await Assert.ThrowsAsync<LeafApiException>(() => h.DriveAsync(() => h.Client.CheckSyncAsync(DemoUsers.Healthy, timeProvider: h.Time), TimeSpan.FromMilliseconds(100), ResilienceHarness.AnyTime));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.Null, "no answer arrived");
            Assert.That(ex.IsTransient, Is.True, ex.ToString());
            Assert.That(ex.Message, Does.Contain("within AttemptTimeout (1 s)"));
            Assert.That(h.Time.GetUtcNow() - ResilienceHarness.Epoch, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)), "the call failed at the time-out, not before");
        });
    }

    [Test]
    public async Task Latency_holds_the_answer_until_the_server_clock_has_moved_by_it()
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = TimeSpan.FromMinutes(1);

        // The client keeps real time (5 s attempt time-out): a minute of real latency would fail the call.
        using var client = new IntegrationsClient(server.CreateClientOptions());

        var call = client.CheckSyncAsync(DemoUsers.Healthy);
        await ResilienceHarness.WaitUntilAsync(() => clock.TimersCreated == 1, "the server holds the request on its clock");
        clock.Advance(server.Latency - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        var answeredEarly = call.IsCompleted || server.Requests.Count > 0;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var report = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(answeredEarly, Is.False, "no answer before the clock moved by the whole latency");
            Assert.That(report.IsHealthy, Is.True);
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 200 }));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Expired_token_is_renewed_by_logging_in_again(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, server.CreateLoginOptions());
        await client.Client.CheckSyncAsync(DemoUsers.Healthy);

        server.ExpireTokens();
        var report = await client.Client.CheckSyncAsync(DemoUsers.Healthy);

        Assert.Multiple(() =>
        {
            Assert.That(report.IsHealthy, Is.True);
            Assert.That(server.LoginCount, Is.EqualTo(2));
            Assert.That(server.Requests.Where(r => r.Path == FakeLeafServer.ResourcesPath).Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 401, 200 }));
        });
    }

    [Test]
    public async Task Token_lifetime_follows_the_server_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        var options = server.CreateClientOptions();
        options.AccessToken = server.IssueToken(TimeSpan.FromMinutes(5));
        using var client = new IntegrationsClient(options);
        Assert.That((await client.CheckSyncAsync(DemoUsers.Healthy)).IsHealthy, Is.True);

        clock.Advance(TimeSpan.FromMinutes(6));

        await Assert.ThrowsAsync<LeafAuthenticationException>(() => client.CheckSyncAsync(DemoUsers.Healthy));
        Assert.That(server.Requests[^1].StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task Journal_records_each_request_without_credentials()
    {
        using var server = FakeLeafServer.Start();
        using var client = new IntegrationsClient(server.CreateLoginOptions());

        await client.GetResourcesAsync(Provider.JohnDeere, DemoUsers.Healthy);

        var requests = server.Requests;
        Assert.Multiple(() =>
        {
            Assert.That(requests.Select(r => (r.Method, r.Path)), Is.EqualTo(new[] { ("POST", FakeLeafServer.LoginPath), ("GET", FakeLeafServer.ResourcesPath) }));
            Assert.That(requests[0].HadBearerToken, Is.False, "the login is never made with a bearer token");
            Assert.That(requests[1].HadBearerToken, Is.True);
            Assert.That(requests[1].Query, Is.EquivalentTo(new Dictionary<string, string> { ["provider"] = "JohnDeere", ["leafUserId"] = DemoUsers.Healthy.ToString() }));
            Assert.That(requests.ToString() + string.Join(" ", requests), Does.Not.Contain(server.Password));
        });
    }

    [Test]
    public async Task Cancellation_during_latency_stays_operation_cancelled()
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = TimeSpan.FromSeconds(1);   // on a clock nobody advances: the answer never comes
        using var client = new IntegrationsClient(server.CreateClientOptions());
        using var cts = new CancellationTokenSource();

        var call = client.CheckSyncAsync(DemoUsers.Healthy, cancellationToken: cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => clock.TimersCreated == 1, "the server holds the request on its clock");
        await cts.CancelAsync();

        await Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => call);
        Assert.That(server.Requests, Is.Empty, "the server was still holding its answer");
    }

    /// <summary>A fake server on the harness's clock (token expiry, demo data, latency), its client pointed at it.</summary>
    private static FakeLeafServer StartOnTheHarnessClock(ResilienceHarness h)
    {
        var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = h.Time });
        h.Options.BaseAddress = server.BaseAddress;
        h.Options.AccessToken = server.AccessToken;
        return server;
    }
}
