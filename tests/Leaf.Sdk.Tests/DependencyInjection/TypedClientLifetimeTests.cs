using System.Runtime.CompilerServices;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.DependencyInjection;

/// <summary>
/// The typed client is transient. A container keeps every transient <see cref="IDisposable"/> it creates until it is
/// disposed itself, so a client resolved from the root provider (a background service asking on every tick) must not be
/// one: it would live as long as the app, and its HttpClient would keep IHttpClientFactory from retiring old handlers.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class TypedClientLifetimeTests
{
    [Test]
    public async Task A_client_resolved_from_the_root_provider_is_not_kept_by_it()
    {
        using var server = FakeLeafServer.Start();
        var services = new ServiceCollection();
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.AccessToken = server.AccessToken;
        });
        await using var provider = services.BuildServiceProvider();

        var (resolved, call) = ResolveAndCall(provider);
        var summaries = (await call).Summaries.Count;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Multiple(() =>
        {
            Assert.That(summaries, Is.GreaterThan(0), "the client resolved from the root provider works");
            Assert.That(resolved.IsAlive, Is.False, "the root provider kept the client it handed out");
        });
    }

    [Test]
    public void The_client_from_di_needs_no_disposing()
    {
        var services = new ServiceCollection();
        services.AddLeafSdk(o => o.AccessToken = "a-token-for-a-test");
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IIntegrationsClient>(), Is.Not.InstanceOf<IDisposable>());
    }

    // Not async, so no state machine outlives the call holding the client: only the root provider could keep it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Client, Task<SyncSummaryResponse> Call) ResolveAndCall(IServiceProvider provider)
    {
        var client = provider.GetRequiredService<IIntegrationsClient>();
        return (new WeakReference(client), client.GetResourcesAsync());
    }
}
