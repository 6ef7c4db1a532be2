using System.Net;
using System.Runtime.CompilerServices;
using Leaf.Sdk.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>The handler that runs each request through the Polly pipeline, on its own.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ResiliencePipelineHandlerTests
{
    private static readonly HttpRequestOptionsKey<string> CallerKey = new("Test.CallerKey");

    /// <summary>Answers from a script, one entry per attempt, and records what each attempt carried.</summary>
    private sealed class ScriptedHandler(params Func<HttpResponseMessage>[] script) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string[] OptionKeys)> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request, [.. ((IDictionary<string, object?>)request.Options).Keys]));
            return Task.FromResult(script[Seen.Count - 1]());
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request, []));
            return script[Seen.Count - 1]();
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> RetryOn503() => new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.Zero,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.ServiceUnavailable),
        })
        .Build();

    private static HttpMessageInvoker Invoker(ScriptedHandler inner) =>
        new(new ResiliencePipelineHandler(RetryOn503()) { InnerHandler = inner });

    [Test]
    public async Task Every_attempt_sends_the_same_request_and_the_handler_adds_nothing_to_its_options()
    {
        var inner = new ScriptedHandler(() => new(HttpStatusCode.ServiceUnavailable), () => new(HttpStatusCode.OK));
        using var invoker = Invoker(inner);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.withleaf.io/services/integrations/api/resources");
        request.Options.Set(CallerKey, "set by the caller");

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the retry's answer is the call's answer");
            Assert.That(inner.Seen, Has.Count.EqualTo(2));
            Assert.That(inner.Seen.Select(s => s.Request), Has.All.SameAs(request), "a retry resends the caller's request");
            Assert.That(inner.Seen.Select(s => s.OptionKeys), Has.All.EqualTo(new[] { CallerKey.Key }), "no Polly context rides in the options");
            Assert.That(((IDictionary<string, object?>)request.Options).Keys, Is.EqualTo(new[] { CallerKey.Key }), "and none is left behind");
        });
    }

    [Test]
    public async Task An_exception_the_pipeline_does_not_handle_comes_out_as_thrown_with_its_stack_trace()
    {
        var thrown = new InvalidOperationException("thrown by the transport");
        var inner = new ScriptedHandler(() => Throw(thrown));
        using var invoker = Invoker(inner);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.withleaf.io/");

        var caught = await Assert.ThrowsAsync<InvalidOperationException>(() => invoker.SendAsync(request, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(caught, Is.SameAs(thrown));
            Assert.That(caught!.StackTrace, Does.Contain(nameof(Throw)), "the original frames are kept");
            Assert.That(inner.Seen, Has.Count.EqualTo(1), "not a retryable outcome for this pipeline");
        });
    }

    [Test]
    public void Synchronous_Send_is_refused_before_anything_is_sent()
    {
        var inner = new ScriptedHandler(() => new(HttpStatusCode.OK));
        using var invoker = Invoker(inner);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.withleaf.io/");

        var refused = Assert.Throws<NotSupportedException>(() => invoker.Send(request, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Does.Contain("asynchronous only"));
            Assert.That(inner.Seen, Is.Empty, "without the refusal it would have gone out with no retries, time-outs or token");
        });
    }

    [Test]
    public void The_registered_named_client_refuses_synchronous_Send_too()
    {
        var inner = new ScriptedHandler(() => new(HttpStatusCode.OK));
        var services = new ServiceCollection();
        services.AddLeafSdk(o => o.AccessToken = "di-token-123456").ConfigurePrimaryHttpMessageHandler(() => inner);
        using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("Leaf.Sdk");
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.withleaf.io/services/integrations/api/resources");

        Assert.Throws<NotSupportedException>(() => client.Send(request));
        Assert.That(inner.Seen, Is.Empty);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HttpResponseMessage Throw(Exception exception) => throw exception;
}
