using System.Runtime.CompilerServices;
using Leaf.Sdk.Http;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>
/// Nothing grows per call or per client that should not: timers, memory, clients kept alive. No timing assertions.
/// Not parallel: the memory measured is the whole process's.
/// </summary>
[NonParallelizable]
public sealed class LongRunTests
{
    private const int Calls = 50_000;

    // With the caller's token too: a background service passes its stopping token, which lives as long as the app, to
    // every call, and a registration on it left behind by each call would grow with every call.
    [TestCase(false)]
    [TestCase(true)]
    public async Task Fifty_thousand_calls_leave_no_timer_running_and_no_memory_behind(bool withAppLongToken)
    {
        using var stopping = new CancellationTokenSource();
        var token = withAppLongToken ? stopping.Token : CancellationToken.None;
        var clock = new ActiveTimerClock(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        var leaf = new InMemoryLeaf(clock.GetUtcNow().AddDays(30));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = new Uri("https://leaf.example");
            o.Username = AuthStub.Username;
            o.Password = AuthStub.Password;
        }).ConfigurePrimaryHttpMessageHandler(() => leaf);
        services.AddHttpClient(LeafHttpPipeline.LoginClientName).ConfigurePrimaryHttpMessageHandler(() => leaf);
        await using var provider = services.BuildServiceProvider();

        await CallAsync(provider, 2_000, token);
        var before = SettledMemory();
        await CallAsync(provider, Calls, token);
        var after = SettledMemory();

        Assert.Multiple(() =>
        {
            Assert.That(leaf.Calls, Is.EqualTo(Calls + 2_000), "every call answered 200 on the first attempt");
            Assert.That(leaf.Logins, Is.EqualTo(1));
            Assert.That(clock.TimersCreated, Is.GreaterThanOrEqualTo(Calls), "the time-outs run on the clock counted");
            Assert.That(clock.ActiveTimers, Is.Zero, "each call's time-outs must be released when it ends");
            Assert.That(after - before, Is.LessThan(1_000_000), $"{(after - before) / (double)Calls:F1} bytes kept per call");
        });
    }

    [Test]
    public async Task Standalone_clients_created_used_and_disposed_are_all_collected_with_their_timers()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var clock = new ActiveTimerClock(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        var options = Stub.Options(server, maxRetries: 2);
        options.EnableCircuitBreaker = true;

        var clients = await UseAndDisposeManyAsync(200, options, clock);
        SettledMemory();

        Assert.Multiple(() =>
        {
            // The most recent client can still be reachable from the runtime's per-thread leftovers of the last await
            // (seen in Debug builds); one kept per client (statics, event handlers, timers) would keep all of them.
            Assert.That(clients.Count(c => c.IsAlive), Is.AtMost(1), "disposed clients must not be kept alive");
            Assert.That(clock.TimersCreated, Is.GreaterThanOrEqualTo(200));
            Assert.That(clock.ActiveTimers, Is.Zero);
        });
    }

    [Test]
    public async Task A_disposed_client_says_so_every_time_and_disposing_again_is_harmless()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var client = new IntegrationsClient(Stub.Options(server));
        await client.GetResourcesAsync();

        client.Dispose();
        client.Dispose();
        var first = await CatchAsync(client.GetResourcesAsync());
        var second = await CatchAsync(client.GetResourcesAsync(Provider.JohnDeere));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.InstanceOf<ObjectDisposedException>());
            Assert.That(second, Is.InstanceOf<ObjectDisposedException>());
            Assert.That(first?.Message, Does.Contain(nameof(IntegrationsClient)));
            Assert.That(server.LogEntries, Has.Count.EqualTo(1), "nothing sent after Dispose");
        });
    }

    private static async Task CallAsync(IServiceProvider provider, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            // Resolved per call, as a transient typed client is in a background service's loop.
            await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync(cancellationToken: cancellationToken);
        }
    }

    // In a method of its own: the awaiter of the last client's call, a local of this loop's frame, would otherwise be
    // alive (in a Debug build) while the test collects, and with it that client.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<List<WeakReference>> UseAndDisposeManyAsync(int count, LeafClientOptions options, TimeProvider clock)
    {
        var clients = new List<WeakReference>();
        for (var i = 0; i < count; i++)
        {
            clients.Add(await UseAndDisposeAsync(options, clock));
        }

        return clients;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> UseAndDisposeAsync(LeafClientOptions options, TimeProvider clock)
    {
        var client = new IntegrationsClient(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, clock);
        await client.GetResourcesAsync();
        client.Dispose();
        return new WeakReference(client);
    }

    private static async Task<Exception?> CatchAsync(Task call)
    {
        try
        {
            await call;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static long SettledMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
