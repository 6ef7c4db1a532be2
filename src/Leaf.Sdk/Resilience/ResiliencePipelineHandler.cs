using Polly;

namespace Leaf.Sdk.Resilience;

/// <summary>
/// Runs every request through a Polly pipeline; each attempt sends the same request down the rest of the chain.
/// </summary>
/// <remarks>
/// This is what <c>Microsoft.Extensions.Http.Resilience</c>'s <c>ResilienceHandler</c> does for the SDK, minus what the
/// SDK never used: that package brought 14 more packages into every app that installs Leaf.Sdk, and put the Polly
/// context into each request's options so handlers below could find it. The handlers below read nothing from it.
/// </remarks>
internal sealed class ResiliencePipelineHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendAttemptAsync(state.Request, context.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception exception)
                    {
                        // The pipeline decides what a failed attempt means (retry, breaker, time-out); the outcome it
                        // ends with is rethrown below, with the original stack trace.
                        return Outcome.FromException<HttpResponseMessage>(exception);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// The SDK's handlers are asynchronous only. Without this, <see cref="HttpClient.Send(HttpRequestMessage)"/> on the
    /// SDK's named client would go straight to the transport: no retries, no time-outs and no bearer token.
    /// </summary>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The Leaf SDK's HTTP pipeline is asynchronous only: use SendAsync, or IIntegrationsClient.");

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
