using System.Collections.Concurrent;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Core;

/// <summary>AddLeafSdk: a typed HttpClient users can extend, resolving a working client.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class DependencyInjectionTests
{
    /// <summary>Records what each request looked like when it reached this handler.</summary>
    private sealed class RecordingHandler(ConcurrentQueue<string> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue($"{request.Method} {request.RequestUri?.AbsolutePath} {request.Headers.Authorization}");
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CountingTokenSource(string token) : ILeafTokenSource
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(token);
        }
    }

    [Test]
    public void Both_AddLeafSdk_overloads_return_the_typed_clients_builder()
    {
        var services = new ServiceCollection();
        var fromCode = services.AddLeafSdk(o => o.AccessToken = "di-token-123456");
        var fromConfig = new ServiceCollection().AddLeafSdk(new ConfigurationBuilder().Build().GetSection("Leaf"));

        Assert.Multiple(() =>
        {
            Assert.That(fromCode, Is.InstanceOf<IHttpClientBuilder>());
            Assert.That(fromConfig, Is.InstanceOf<IHttpClientBuilder>());
            Assert.That(services.Any(d => d.ServiceType == typeof(IIntegrationsClient)), Is.True, "the typed client is registered in the user's collection");
            Assert.That(fromCode.Name, Is.Not.Empty);
        });
    }

    [Test]
    public async Task The_resolved_IIntegrationsClient_calls_the_configured_server()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var services = new ServiceCollection();
        services.AddLeafSdk(o => TestClient.Copy(Stub.Options(server), o));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var client = provider.GetRequiredService<IIntegrationsClient>();
        var response = await client.GetResourcesAsync(Provider.JohnDeere);

        Assert.Multiple(() =>
        {
            Assert.That(client, Is.InstanceOf<Leaf.Sdk.DependencyInjection.TypedIntegrationsClient>());
            Assert.That(response.Summaries.Single().Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(server.SingleRequest().QueryValues("provider"), Is.EqualTo(new[] { "JohnDeere" }));
        });
    }

    [Test]
    public async Task A_handler_the_user_adds_sees_every_request_with_the_bearer_token_already_set()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var seen = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddLeafSdk(o => TestClient.Copy(Stub.Options(server), o))
            .AddHttpMessageHandler(() => new RecordingHandler(seen));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();
        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.That(seen, Is.EqualTo(new[]
        {
            $"GET {Stub.ResourcesPath} Bearer {Stub.Token}",
            $"GET {Stub.ResourcesPath} Bearer {Stub.Token}",
        }));
    }

    [Test]
    public async Task An_answer_from_a_handler_the_user_put_above_the_SDK_s_is_still_read()
    {
        using var server = Stub.Start();
        var services = new ServiceCollection();
        services.AddLeafSdk(o => TestClient.Copy(Stub.Options(server), o))
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Insert(0, new AnsweringHandler(LeafJson.DocumentedExample)));
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Single().Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
            Assert.That(server.Requests(), Is.Empty, "the user's handler answered; nothing went to Leaf");
        });
    }

    [Test]
    public async Task A_token_source_registered_in_the_container_is_asked_on_every_call()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var source = new CountingTokenSource("from-the-container-7781");
        var options = Stub.Options(server);
        options.AccessToken = null;
        using var client = TestClient.Create(ClientKind.DependencyInjection, options, services: s => s.AddSingleton<ILeafTokenSource>(source));

        await client.Client.GetResourcesAsync();
        await client.Client.GetResourcesAsync();

        Assert.That(server.Requests().Select(r => r.Header("Authorization").Single()), Is.All.EqualTo("Bearer from-the-container-7781"));
        Assert.That(source.Calls, Is.EqualTo(2));
    }

    [Test]
    public void A_registered_token_source_and_an_AccessToken_together_are_refused()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILeafTokenSource>(new CountingTokenSource("x-123456789"));
        services.AddLeafSdk(o => o.AccessToken = "di-token-123456");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<IIntegrationsClient>());

        Assert.That(error!.Message, Does.Contain("More than one way"));
    }

    [Test]
    public async Task Clients_resolved_from_one_container_share_the_pipeline_and_run_concurrently()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var source = new CountingTokenSource("shared-token-445566");
        var options = Stub.Options(server);
        options.AccessToken = null;
        var services = new ServiceCollection();
        services.AddSingleton<ILeafTokenSource>(source);
        services.AddLeafSdk(o => TestClient.Copy(options, o));
        await using var provider = services.BuildServiceProvider();

        var calls = Enumerable.Range(0, 20).Select(_ => provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync());
        var responses = await Task.WhenAll(calls);

        Assert.That(responses.Select(r => r.Summaries.Count), Is.All.EqualTo(1));
        Assert.That(server.Requests(), Has.Count.EqualTo(20));
        Assert.That(source.Calls, Is.EqualTo(20));
    }

    [Test]
    public async Task The_standalone_and_DI_clients_send_identical_requests()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var user = Guid.Parse(LeafJson.UserId);
        using (var standalone = TestClient.Create(ClientKind.Standalone, Stub.Options(server)))
        {
            await standalone.Client.GetResourcesAsync(Provider.Trimble, user);
        }

        using (var injected = TestClient.Create(ClientKind.DependencyInjection, Stub.Options(server)))
        {
            await injected.Client.GetResourcesAsync(Provider.Trimble, user);
        }

        var requests = server.Requests();
        Assert.That(requests, Has.Count.EqualTo(2));
        string[] compared = ["Authorization", "Accept", "User-Agent"];
        Assert.Multiple(() =>
        {
            Assert.That(requests[1].Url, Is.EqualTo(requests[0].Url));
            Assert.That(requests[1].Method, Is.EqualTo(requests[0].Method));
            foreach (var header in compared)
            {
                Assert.That(requests[1].Header(header), Is.EqualTo(requests[0].Header(header)), header);
            }
        });
    }
}
