using System.Runtime.CompilerServices;
using Polly;

namespace Leaf.Sdk.Resilience;

/// <summary>
/// Runs every request through a Polly pipeline; each attempt sends the same request down the rest of the chain and,
/// when given <c>readAnswer</c>, reads the answer before the attempt counts as done.
/// </summary>
/// <remarks>
/// This is what <c>Microsoft.Extensions.Http.Resilience</c>'s <c>ResilienceHandler</c> does for the SDK, minus what the
/// SDK never used: that package brought 14 more packages into every app that installs Leaf.Sdk, and put the Polly
/// context into each request's options so handlers below could find it. The handlers below read nothing from it.
/// </remarks>
/// <param name="pipeline">The Polly pipeline every request runs through.</param>
/// <param name="readAnswer">
/// Reads an attempt's answer inside the attempt (under its time-out), and disposes it when that fails; the failure is
/// the attempt's outcome, for the pipeline to judge.
/// </param>
/// <param name="countsAttempts">
/// Whether this handler counts each attempt in the request's <see cref="Http.CallState"/>: for the login, whose chain has
/// no token handler (which counts the Sync Summary's attempts, a resend after a 401 included).
/// </param>
internal sealed class ResiliencePipelineHandler(
    ResiliencePipeline<HttpResponseMessage> pipeline,
    Func<HttpRequestMessage, HttpResponseMessage, CancellationToken, ValueTask>? readAnswer = null,
    bool countsAttempts = false) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static (context, state) => state.Handler.AttemptAsync(state.Request, context),
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

    /// <summary>One attempt down the rest of the chain, its answer read, as the outcome the pipeline decides on.</summary>
    /// <remarks>
    /// Pooled: when an attempt waits on the network, this method's state is boxed, and the pipeline awaits the result
    /// exactly once, so the box can go back to a pool instead of to the garbage collector.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(HttpRequestMessage request, ResilienceContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (countsAttempts)
        {
            Http.CallState.Of(request)?.BeginAttempt();
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (readAnswer is not null)
            {
                await readAnswer(request, response, cancellationToken).ConfigureAwait(false);
            }

            return Outcome.FromResult(response);
        }
        catch (Exception exception)
        {
            // The retry strategy weighs the wait before the next attempt against what is left of the call's time, which
            // it finds in the call's state; an exception, unlike a response, does not lead back to the request.
            if (Http.CallState.Of(request) is { } state)
            {
                context.Properties.Set(LeafResiliencePipelineFactory.FailedAttemptState, state);
            }

            // The pipeline decides what a failed attempt means (retry, breaker, time-out); the outcome it ends with is
            // rethrown by SendAsync, with the original stack trace.
            return Outcome.FromException<HttpResponseMessage>(exception);
        }
    }
}
