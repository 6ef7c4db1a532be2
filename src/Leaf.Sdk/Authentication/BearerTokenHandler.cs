using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Leaf.Sdk.Diagnostics;
using Leaf.Sdk.Http;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Authentication;

/// <summary>
/// Puts the current token on every attempt, only for the configured host, and answers a 401 by renewing the token
/// once and resending once.
/// </summary>
internal sealed class BearerTokenHandler(ILeafTokenSource tokenSource, Uri baseAddress, ILogger logger) : DelegatingHandler
{
    private readonly bool _canRenew = tokenSource is not StaticTokenSource;

    // The SDK's login source stops waiting for its shared login on cancellation itself (LeafLoginTokenSource).
    private readonly bool _stopsWaitingOnItsOwn = tokenSource is LeafLoginTokenSource;

    // "scheme://host[:port]/" of the configured address: a request URI that starts with exactly this text is for the
    // configured host, and saying so costs no allocation (Uri.IdnHost allocates on every new Uri, i.e. every call).
    private readonly string _configuredPrefix = baseAddress.IsAbsoluteUri
        ? $"{baseAddress.Scheme}://{baseAddress.Authority}/"
        : "\0";

    // The header for the token last sent.
    private AuthenticationHeaderValue? _lastHeader;

    /// <summary>The clock that times each attempt for event 9: the pipeline's, so a fake clock in tests decides it.</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var state = CallState.Of(request);
        if (!IsConfiguredHost(request.RequestUri))
        {
            // A token is a credential for Leaf alone; a request elsewhere goes without it.
            request.Headers.Authorization = null;
            return Send(request, state, cancellationToken);
        }

        if (_canRenew && state?.RenewedAfter401 != true)
        {
            return SendRenewingOn401Async(request, state, cancellationToken);
        }

        // Nothing to renew (a static token, or a renewal this call already made): the answer goes back as it is, so
        // the usual call needs no async frame of its own here, nor the allocation that comes with one.
        var authorize = Authorize(request, rejected: null, cancellationToken);
        return authorize.IsCompletedSuccessfully
            ? Send(request, state, cancellationToken)
            : SendAuthorizedAsync(authorize, request, state, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAuthorizedAsync(
        ValueTask<string> authorize, HttpRequestMessage request, CallState? state, CancellationToken cancellationToken)
    {
        await authorize.ConfigureAwait(false);
        return await Send(request, state, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRenewingOn401Async(HttpRequestMessage request, CallState? state, CancellationToken cancellationToken)
    {
        var sent = await Authorize(request, rejected: null, cancellationToken).ConfigureAwait(false);
        var response = await Send(request, state, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // One renewal and one resend per call: a second 401 is final and becomes a LeafAuthenticationException.
        if (state is not null)
        {
            state.RenewedAfter401 = true;
        }

        Log.RenewingToken(logger);
        response.Dispose();
        await Authorize(request, rejected: sent, cancellationToken).ConfigureAwait(false);
        return await Send(request, state, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> Send(HttpRequestMessage request, CallState? state, CancellationToken cancellationToken)
    {
        var attempt = state?.BeginAttempt() ?? 0;

        // The SDK's own request log (IHttpClientFactory's is off, see AddLeafSdk): one event as each attempt leaves and
        // one as its answer is read, costing nothing unless Debug is on.
        return logger.IsEnabled(LogLevel.Debug)
            ? SendLoggedAsync(request, attempt, cancellationToken)
            : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendLoggedAsync(HttpRequestMessage request, int attempt, CancellationToken cancellationToken)
    {
        Log.SendingAttempt(logger, request.Method, request.RequestUri?.AbsolutePath, attempt);
        var started = Time.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

        // Never below zero: a TimeProvider of the user's may read its timestamps off a wall clock that steps back.
        Log.AttemptAnswered(logger, attempt, (int)response.StatusCode, Math.Max(0, Math.Round(Time.GetElapsedTime(started).TotalMilliseconds, 1)));
        return response;
    }

    private async ValueTask<string> Authorize(HttpRequestMessage request, string? rejected, CancellationToken cancellationToken)
    {
        var pending = (rejected, tokenSource) switch
        {
            (null, _) => tokenSource.GetTokenAsync(forceRenewal: false, cancellationToken),
            (_, IRenewableTokenSource renewable) => renewable.RenewAsync(rejected, cancellationToken),
            _ => tokenSource.GetTokenAsync(forceRenewal: true, cancellationToken),
        };
        var token = pending.IsCompleted || _stopsWaitingOnItsOwn
            ? await pending.ConfigureAwait(false)
            : await StopWaitingOnCancellationAsync(pending, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new LeafAuthenticationException("The token source returned an empty token; check the ILeafTokenSource you configured.");
        }

        // Only visible ASCII can travel in the header. Anything else (a byte-order mark, a smart quote, a zero-width space
        // pasted with the token) would fail as the request is written, which looks like a network outage and is retried:
        // refuse it here, before anything is sent, saying where it is but never what the token is.
        if (BearerTokenText.IndexOfInvalid(token) is >= 0 and var invalid)
        {
            throw new LeafAuthenticationException(BearerTokenText.StartsWithScheme(token)
                ? "The token starts with the scheme \"Bearer\", which the SDK adds itself: return (or set in AccessToken) the token alone, without \"Bearer \"; check AccessToken or the ILeafTokenSource you configured."
                : $"The token contains a character a bearer token cannot contain: {BearerTokenText.Describe(token, invalid)}. A bearer token is visible ASCII only; check AccessToken or the ILeafTokenSource you configured.");
        }

        // A token read from a file or a secret mount often ends in a line break; HttpHeaders would reject it with a
        // FormatException, and surrounding spaces would garble the header.
        var value = token.Trim();

        // A token usually lives for hours, so most calls reuse one immutable header value.
        var header = _lastHeader;
        if (header is null || !string.Equals(header.Parameter, value, StringComparison.Ordinal))
        {
            header = new AuthenticationHeaderValue("Bearer", value);
            _lastHeader = header;
        }

        request.Headers.Authorization = header;

        // The source's own spelling: a renewable source compares it with its cache to spot a rejected token.
        return token;
    }

    /// <summary>
    /// Waits for a token that is still on its way until <paramref name="cancellationToken"/> (the caller's, or the attempt's
    /// time-out) is cancelled, whether or not the source honours it: a source of the user's that ignores it (a vault call
    /// made without it) would otherwise hold the call past its caller's cancellation and every time-out of the pipeline,
    /// which waits for what it runs. The source's own task goes on; should it fail later, its failure is observed here,
    /// or nobody would.
    /// </summary>
    private static async Task<string> StopWaitingOnCancellationAsync(ValueTask<string> pending, CancellationToken cancellationToken)
    {
        var task = pending.AsTask();
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!task.IsCompleted)
        {
            // Once per task, not once per call that gave up on it: a source that hands every caller the same fetch (one
            // shared renewal, as ILeafTokenSource asks) and never ends it kept one continuation per abandoned call, a
            // quarter of a kilobyte each, for as long as that fetch hung.
            if (Observed.TryAdd(task, null))
            {
                _ = task.ContinueWith(
                    static t => _ = t.Exception,
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }

            throw;
        }
    }

    // The token sources' tasks already observed; held weakly, so an entry goes with its task.
    private static readonly ConditionalWeakTable<Task, object?> Observed = new();

    private bool IsConfiguredHost(Uri? uri) =>
        uri is not null &&
        uri.IsAbsoluteUri &&
        (uri.OriginalString.StartsWith(_configuredPrefix, StringComparison.Ordinal) || IsConfiguredHostSlow(uri));

    private bool IsConfiguredHostSlow(Uri uri) =>
        string.Equals(uri.Scheme, baseAddress.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(uri.IdnHost, baseAddress.IdnHost, StringComparison.OrdinalIgnoreCase) &&
        uri.Port == baseAddress.Port;
}
