using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round11Hosting;

/// <summary>
/// An <see cref="ILeafTokenSource"/> of the app's, registered with each lifetime, in a host whose scopes are validated
/// (Development) and one whose are not (Production). The SDK shares one token source for the app's lifetime, so a scoped
/// one would be a captive dependency: it must be refused at start-up, in both, saying what to do; a singleton (and a
/// transient, resolved once) serves.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class TokenSourceLifetimeTests
{
    [Test]
    public async Task A_scoped_token_source_is_refused_at_start_up_saying_to_register_it_as_a_singleton([Values] bool validateScopes)
    {
        using var server = new Round9Cancel.CancelServer();
        using var host = Build(server, validateScopes, s => s.AddScoped<ILeafTokenSource, CountingSource>());

        var error = await StartAsync(host);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<OptionsValidationException>(), $"how the start-up ended: {error}");
            Assert.That(error?.Message ?? string.Empty, Does.Contain("ILeafTokenSource (CountingSource) is registered as scoped").And.Contain("AddSingleton"));
            Assert.That(server.ResourceRequests, Is.Zero);
        });
    }

    [Test]
    public async Task A_singleton_or_transient_token_source_serves_every_scope(
        [Values(ServiceLifetime.Singleton, ServiceLifetime.Transient)] ServiceLifetime lifetime, [Values] bool validateScopes)
    {
        using var server = new Round9Cancel.CancelServer();
        using var host = Build(server, validateScopes, s => s.Add(new ServiceDescriptor(typeof(ILeafTokenSource), typeof(CountingSource), lifetime)));
        var error = await StartAsync(host);
        Assert.That(error, Is.Null);

        for (var i = 0; i < 3; i++)
        {
            using var scope = host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync().WaitAsync(HostedLeaf.HangBound);
        }

        var created = host.Services.GetRequiredService<Counter>().Created;
        await host.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(server.ResourceRequests, Is.EqualTo(3));
            Assert.That(created, Is.LessThanOrEqualTo(2), "token sources made: the pipeline's, and the start-up check's for a transient");
        });
    }

    private static IHost Build(Round9Cancel.CancelServer server, bool validateScopes, Action<IServiceCollection> register)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = validateScopes }));
        builder.Services.AddSingleton(new Counter());
        register(builder.Services);
        builder.Services.AddLeafSdk(o =>
        {
            o.BaseAddress = server.Url;
            o.MaxRetries = 0;
        });
        return builder.Build();
    }

    private static async Task<Exception?> StartAsync(IHost host)
    {
        try
        {
            await host.StartAsync();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private sealed class Counter
    {
        public int Created;
    }

    private sealed class CountingSource : ILeafTokenSource
    {
        public CountingSource(Counter counter) => Interlocked.Increment(ref counter.Created);

        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult("app-token");
    }
}
