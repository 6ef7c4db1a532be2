using System.Net;
using System.Reflection;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.Server;

namespace Leaf.Sdk.Tests.Round6Fake;

/// <summary>Many servers at once, stopped at any moment, running for a long time: as users' parallel test suites and demos run them.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafServerLifetimeTests
{
    [Test]
    public async Task Servers_started_in_parallel_each_get_their_own_port_and_journal()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => FakeLeafServer.Start())));
        try
        {
            var answers = await Task.WhenAll(servers.Select(async (server, i) =>
            {
                using var client = TestClient.Create(i % 2 == 0 ? ClientKind.Standalone : ClientKind.DependencyInjection, server.CreateClientOptions());
                return (await client.Client.GetResourcesAsync(leafUserId: DemoUsers.Stale)).Summaries.Count;
            }));

            Assert.Multiple(() =>
            {
                Assert.That(servers.Select(s => s.BaseAddress.Port).Distinct().Count(), Is.EqualTo(servers.Length));
                Assert.That(answers, Has.All.EqualTo(5));
                Assert.That(servers.Select(s => s.Requests.Count), Has.All.EqualTo(1), "each server saw only its own client");
            });
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
    }

    [Test]
    public async Task Dispose_while_an_answer_is_held_ends_the_call_promptly_and_twice_is_harmless()
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = TimeSpan.FromMinutes(1);   // on a clock nobody advances
        var options = server.CreateClientOptions();
        options.MaxRetries = 0;
        using var client = new IntegrationsClient(options);
        var call = client.GetResourcesAsync();
        await ResilienceHarness.WaitUntilAsync(() => clock.TimersCreated == 1, "the server holds the request on its clock");

        var disposing = Task.Run(server.Dispose);
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
        server.Dispose();
        var ended = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Multiple(() =>
        {
            Assert.That(ended, Is.SameAs(call), "the call did not wait for a clock nobody advances");
            Assert.That(call.IsFaulted ? call.Exception!.InnerException : null, Is.Null.Or.InstanceOf<LeafApiException>());
            Assert.That(server.Requests, Has.Count.LessThanOrEqualTo(1), "the journal stays readable after Dispose");
        });
    }

    [Test]
    public void Dispose_right_after_start_and_configuring_after_dispose_are_harmless()
    {
        var server = FakeLeafServer.Start();
        server.Dispose();

        Assert.DoesNotThrow(() =>
        {
            server.Dispose();
            server.Seed([]);
            server.FailNext(1);
            server.Latency = TimeSpan.FromSeconds(1);
            server.ExpireTokens();
            _ = server.Requests;
        });
    }

    [Test]
    public async Task A_long_running_server_keeps_no_copy_of_each_request_besides_its_journal()
    {
        using var server = FakeLeafServer.Start();
        using var client = new IntegrationsClient(server.CreateLoginOptions());
        for (var i = 0; i < 5; i++)
        {
            await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);
        }

        // WireMock logs every request by default, body and headers included (the login's password, every bearer
        // token), with no limit: a demo server answering a health probe every few seconds grew without end.
        var wireMock = (WireMockServer)typeof(FakeLeafServer).GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Single(f => f.FieldType == typeof(WireMockServer)).GetValue(server)!;

        Assert.Multiple(() =>
        {
            Assert.That(server.Requests, Has.Count.EqualTo(6));
            Assert.That(wireMock.LogEntries, Is.Empty);
        });
    }

    [Test]
    public async Task Configuring_while_calls_run_is_safe()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        var user = Guid.NewGuid();
        var options = server.CreateClientOptions();
        options.RetryBaseDelay = TimeSpan.Zero;
        options.EnableCircuitBreaker = false;
        using var client = new IntegrationsClient(options);
        using var stop = new CancellationTokenSource();

        // Seeded once before anything runs: on a loaded machine the loop below could start after the calls, and an
        // empty server answers 0 summaries, which is not the torn list this test looks for.
        server.Seed([new SyncSummary { Provider = Provider.JohnDeere, LeafUserId = user, Fields = 0 }]);
        server.Add(new SyncSummary { Provider = Provider.Stara, LeafUserId = user, Fields = 1 });
        var configuring = Task.Run(async () =>
        {
            var n = 1;
            while (!stop.IsCancellationRequested)
            {
                server.Seed([new SyncSummary { Provider = Provider.JohnDeere, LeafUserId = user, Fields = n++ }]);
                server.Add(new SyncSummary { Provider = Provider.Stara, LeafUserId = user, Fields = 1 });
                server.FailNext(0);
                server.RateLimitNext(0, TimeSpan.Zero);
                _ = server.IssueToken(TimeSpan.FromMinutes(1));
                _ = server.Summaries;
                await Task.Yield();
            }
        });
        server.FailNext(3);   // fewer than any one call's retries: each call succeeds
        var calls = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.GetResourcesAsync(leafUserId: user)));
        await stop.CancelAsync();
        await configuring;

        Assert.Multiple(() =>
        {
            Assert.That(calls.Select(c => c.Summaries.Count), Has.All.InRange(1, 2), "a seed and its add, never a torn list");
            Assert.That(server.Requests.Count(r => r.StatusCode == 200), Is.EqualTo(30));
            Assert.That(server.Requests.Where(r => r.StatusCode != 200).Select(r => r.StatusCode), Is.EqualTo(new[] { 503, 503, 503 }));
        });
    }
}
