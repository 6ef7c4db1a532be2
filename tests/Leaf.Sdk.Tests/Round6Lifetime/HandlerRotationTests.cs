using System.Net;
using Leaf.Sdk.DependencyInjection;
using Leaf.Sdk.Http;
using Leaf.Sdk.Resilience;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>
/// What outlives IHttpClientFactory's handler rotation and the transient typed client: the token cache, the single
/// login and the circuit state belong to the registration (one per service provider), not to a handler chain or a
/// resolved client. A rotation is IHttpClientFactory building a fresh chain from the client's registrations once the
/// old one's HandlerLifetime is over (on a real timer, at least a second); <see cref="NewChain"/> builds one the same
/// way, at once.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HandlerRotationTests
{
    [Test]
    public async Task Every_resolved_client_shares_one_login()
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddDays(30)));
        server.Resources(LeafJson.DocumentedExample);
        await using var provider = Provider(AuthStub.LoginOptions(server));

        var calls = Enumerable.Range(0, 20).Select(_ => provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync());
        await Task.WhenAll(calls);
        using (var scope = provider.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();
        }

        Assert.Multiple(() =>
        {
            Assert.That(server.LoginRequests(), Is.EqualTo(1));
            Assert.That(server.ResourceRequests(), Is.EqualTo(21));
        });
    }

    [Test]
    public async Task A_rotated_handler_chain_keeps_the_cached_token()
    {
        using var server = Stub.Start();
        var token = AuthStub.Jwt(DateTimeOffset.UtcNow.AddDays(30));
        server.LoginIssues(token);
        server.Resources(LeafJson.DocumentedExample);
        await using var provider = Provider(AuthStub.LoginOptions(server));
        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        using var rotated = ClientOverNewChain(provider);
        await rotated.GetResourcesAsync();
        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(server.LoginRequests(), Is.EqualTo(1), "a new handler chain must not log in again");
            Assert.That(server.ResourceAuthorizations(), Is.EqualTo(Enumerable.Repeat("Bearer " + token, 3)));
        });
    }

    [Test]
    public async Task The_circuit_opened_through_one_handler_chain_is_open_for_the_next_and_closes_after_its_break()
    {
        var time = new FakeTimeProvider();
        using var server = Stub.Start();
        server.Resources("{}", status: 503);
        var options = Stub.Options(server);
        options.EnableCircuitBreaker = true;
        await using var provider = Provider(options, time);
        var client = provider.GetRequiredService<IIntegrationsClient>();
        for (var i = 0; i < LeafResiliencePipelineFactory.BreakerMinimumThroughput; i++)
        {
            Assert.That(() => client.GetResourcesAsync(), Throws.InstanceOf<LeafApiException>().With.Property("StatusCode").EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        using var rotated = ClientOverNewChain(provider);
        var open = await Assert.ThrowsAsync<LeafApiException>(() => rotated.GetResourcesAsync());
        var sent = server.ResourceRequests();
        server.ResetMappings();
        server.Resources(LeafJson.DocumentedExample);
        time.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration);
        var response = await rotated.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(open!.Message, Does.Contain("circuit open"), "the outage seen through the old chain protects the new one");
            Assert.That(sent, Is.EqualTo(LeafResiliencePipelineFactory.BreakerMinimumThroughput), "nothing sent while open");
            Assert.That(response.Summaries, Is.Not.Empty);
        });
    }

    [Test]
    public async Task Two_service_providers_do_not_share_a_login()
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddDays(30)));
        server.Resources(LeafJson.DocumentedExample);
        await using var first = Provider(AuthStub.LoginOptions(server));
        await using var second = Provider(AuthStub.LoginOptions(server));

        await first.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();
        await second.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.That(server.LoginRequests(), Is.EqualTo(2), "each container has its own registration, token cache and circuit");
    }

    // A long-running app must see Leaf's DNS changes: pooled connections are retired, whichever way the client was built.
    [Test]
    public void Both_clients_retire_pooled_connections_so_dns_changes_are_seen()
    {
        using var standalonePrimary = LeafHttpPipeline.CreatePrimaryHandler();
        using var provider = Provider(new LeafClientOptions { AccessToken = "a-token-for-a-test" });
        using var chain = NewChain(provider, LeafHttpPipeline.ClientName);
        var handler = chain;
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        Assert.Multiple(() =>
        {
            Assert.That(standalonePrimary.PooledConnectionLifetime, Is.InRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)), "Timeout.InfiniteTimeSpan would keep a connection to an old address forever");
            Assert.That(handler, Is.InstanceOf<SocketsHttpHandler>());
            Assert.That((handler as SocketsHttpHandler)?.PooledConnectionLifetime, Is.InRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)), "Timeout.InfiniteTimeSpan would keep a connection to an old address forever");
        });
    }

    private static ServiceProvider Provider(LeafClientOptions options, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddLeafSdk(o => TestClient.Copy(options, o));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A client over a handler chain built as IHttpClientFactory builds one when it rotates the old one out.</summary>
    private static IntegrationsClient ClientOverNewChain(IServiceProvider provider) =>
        new(new HttpClient(NewChain(provider, LeafHttpPipeline.ClientName)), provider.GetRequiredService<LeafHttpPipeline>());

    private static HttpMessageHandler NewChain(IServiceProvider provider, string name)
    {
        var scope = provider.CreateScope();
        var builder = scope.ServiceProvider.GetRequiredService<HttpMessageHandlerBuilder>();
        builder.Name = name;
        var options = provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(name);
        Action<HttpMessageHandlerBuilder> configure = b =>
        {
            foreach (var action in options.HttpMessageHandlerBuilderActions)
            {
                action(b);
            }
        };
        foreach (var filter in provider.GetServices<IHttpMessageHandlerBuilderFilter>().Reverse())
        {
            configure = filter.Configure(configure);
        }

        configure(builder);
        return builder.Build();
    }
}
