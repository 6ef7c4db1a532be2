using System.Diagnostics;
using System.Globalization;
using Leaf.Sdk.Diagnostics;
using Leaf.Sdk.Http;
using Leaf.Sdk.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leaf.Sdk;

/// <summary>
/// The client for Leaf's Sync Summary API, with bearer-token handling, retries and time-outs built in.
/// Thread-safe: create one and share it, or inject <see cref="IIntegrationsClient"/> after <c>AddLeafSdk</c>.
/// </summary>
/// <example>
/// <code>
/// using var client = new IntegrationsClient(new LeafClientOptions { AccessToken = token });
/// var response = await client.GetResourcesAsync(Provider.JohnDeere);
/// </code>
/// </example>
public sealed class IntegrationsClient : IIntegrationsClient, IDisposable
{
    private const string Operation = "the Sync Summary request";

    private readonly HttpClient _http;
    private readonly HttpClient? _ownedLoginClient;
    private readonly HttpMessageHandler? _primary;
    private readonly LeafHttpPipeline _pipeline;
    private readonly ILeafIntegrationsApi _api;
    private readonly ILogger _logger;
    private readonly bool _renewable;
    private int _disposed;

    /// <summary>Creates a standalone client with its own connection pool, retries and token handling.</summary>
    /// <param name="options">The settings; copied, so later changes to the object have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and says how to fix it.</exception>
    public IntegrationsClient(LeafClientOptions options)
        : this(options, NullLoggerFactory.Instance, TimeProvider.System)
    {
    }

    /// <summary>Creates a standalone client that logs through <paramref name="loggerFactory"/> and keeps time with <paramref name="timeProvider"/>.</summary>
    /// <param name="options">The settings; copied, so later changes to the object have no effect.</param>
    /// <param name="loggerFactory">Receives the SDK's log events (attempts, retries, renewals, failures); never a secret.</param>
    /// <param name="timeProvider">The clock for back-off, time-outs and token expiry; a fake one in tests.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and says how to fix it.</exception>
    public IntegrationsClient(LeafClientOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        LeafClientOptionsValidator.ThrowIfInvalid(options, nameof(options));

        var settings = options.Clone();
        HttpClient? loginClient = null;
        _pipeline = new LeafHttpPipeline(settings, registeredTokenSource: null, () => loginClient!, timeProvider, loggerFactory);
        var primary = LeafHttpPipeline.CreatePrimaryHandler(_pipeline.ConnectTimeout);

        // One connection pool serves both clients; the clients do not dispose it, this instance does.
        _primary = primary;
        loginClient = new HttpClient(LeafHttpPipeline.Chain(_pipeline.CreateLoginHandlers(), primary), disposeHandler: false);
        _pipeline.ConfigureHttpClient(loginClient);
        _ownedLoginClient = loginClient;

        _http = new HttpClient(LeafHttpPipeline.Chain(_pipeline.CreateResourceHandlers(), primary), disposeHandler: false);
        _pipeline.ConfigureHttpClient(_http);
        _api = LeafHttpPipeline.CreateApi(_http);
        _logger = loggerFactory.CreateLogger<IntegrationsClient>();
        _renewable = _pipeline.TokenSource is not Authentication.StaticTokenSource;
    }

    /// <summary>The constructor the DI typed client uses: the HttpClient already carries the pipeline's handlers.</summary>
    internal IntegrationsClient(HttpClient httpClient, LeafHttpPipeline pipeline)
    {
        _http = httpClient;
        _pipeline = pipeline;
        _pipeline.ConfigureHttpClient(httpClient);
        _api = LeafHttpPipeline.CreateApi(httpClient);
        _logger = pipeline.LoggerFactory.CreateLogger<IntegrationsClient>();
        _renewable = pipeline.TokenSource is not Authentication.StaticTokenSource;
    }

    /// <summary>The token source in use (for the SDK's own tests and diagnostics).</summary>
    internal ILeafTokenSource TokenSource => _pipeline.TokenSource;

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">
    /// The client was disposed, or (for the client from <c>AddLeafSdk</c>) the service provider it came from.
    /// </exception>
    public async Task<SyncSummaryResponse> GetResourcesAsync(Provider? provider = null, Guid? leafUserId = null, CancellationToken cancellationToken = default)
    {
        var providerName = provider switch
        {
            null => null,
            { } p when Providers.IsKnown(p) => Providers.ApiName(p),
            { } p => throw new ArgumentOutOfRangeException(nameof(provider), p, "Pass a known provider, or null for all providers; Provider.Unknown is not a filter."),
        };
        var userId = leafUserId switch
        {
            null => null,
            { } id when id == Guid.Empty => throw new ArgumentException("Pass a Leaf user's id, or null for every user; Guid.Empty is not a Leaf user.", nameof(leafUserId)),
            { } id => id.ToString("D", CultureInfo.InvariantCulture),
        };
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        using var activity = LeafTelemetry.Source.StartActivity("Leaf.GetResources", ActivityKind.Client);
        activity?.SetTag("leaf.provider", providerName);
        var state = new CallState(_pipeline.Time.GetTimestamp());
        try
        {
            using var response = await SendAsync(providerName, userId, state, cancellationToken).ConfigureAwait(false);
            var result = state.Result;
            if (result is null && response.IsSuccessStatusCode)
            {
                // Only when no SDK attempt read the answer: a handler of the user's, placed above the SDK's, answered on its own.
                result = await SyncSummaryParser.ParseAsync(response, response.RequestMessage?.Headers.Authorization?.Parameter ?? _pipeline.Options.AccessToken, cancellationToken).ConfigureAwait(false);
            }

            if (result is null)
            {
                throw await LeafErrors.FromResponseAsync(response, state, _pipeline.Options, Operation, _renewable, login: false, cancellationToken).ConfigureAwait(false);
            }

            activity?.SetTag("leaf.attempts", state.Attempts);
            activity?.SetTag("leaf.summaries", result.Summaries.Count);
            Log.CallSucceeded(_logger, Operation, state.Attempts, result.Summaries.Count);
            return result;
        }
        catch (Exception ex)
        {
            // Refit passes the handler chain's exceptions through unwrapped (LeafHttpPipeline.CreateApi), so this is
            // the cause itself: a network error, a time-out, an open circuit, a refused login. The caller's own
            // mistakes were refused above; an ArgumentException here comes from inside the call (a token source).
            activity?.SetTag("leaf.attempts", state.Attempts);
            if (cancellationToken.IsCancellationRequested)
            {
                // The caller's cancellation stays a cancellation, however the transport happened to surface it.
                var cancelled = ex as OperationCanceledException ?? new OperationCanceledException("The Sync Summary request was cancelled.", ex, cancellationToken);
                activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
                activity?.SetTag(LeafTelemetry.ErrorTypeTag, cancelled.GetType().FullName);
                if (ReferenceEquals(cancelled, ex))
                {
                    throw;
                }

                throw cancelled;
            }

            if (Volatile.Read(ref _disposed) != 0)
            {
                // Dispose cancelled the requests in flight; reported as a time-out, a transient one, it would invite a
                // retry on a client that can no longer call.
                activity?.SetStatus(ActivityStatusCode.Error, "disposed");
                activity?.SetTag(LeafTelemetry.ErrorTypeTag, typeof(ObjectDisposedException).FullName);
                throw new ObjectDisposedException(GetType().FullName, "The client was disposed while the Sync Summary request was in flight.");
            }

            if (ex is ObjectDisposedException part)
            {
                // Typically the DI client outliving its service provider (a loop still calling while the host shuts
                // down): nothing Leaf did, nothing a retry cures, and no Error to log.
                activity?.SetStatus(ActivityStatusCode.Error, "disposed");
                activity?.SetTag(LeafTelemetry.ErrorTypeTag, typeof(ObjectDisposedException).FullName);
                throw new ObjectDisposedException(
                    $"The Sync Summary request could not be made because something the client uses was disposed ({(string.IsNullOrEmpty(part.ObjectName) ? part.GetType().Name : part.ObjectName)}). A client from AddLeafSdk stops working once the service provider it came from is disposed, as when the app shuts down.",
                    ex);
            }

            var error = LeafErrors.FromException(ex, state, _pipeline.Options, Operation);
            if (activity is not null)
            {
                // The error's count, as the log event and the exception give it: a failed login counts its own attempts.
                activity.SetTag("leaf.attempts", error.Attempts);
                activity.SetTag(LeafTelemetry.ErrorTypeTag, LeafTelemetry.ErrorType(error));
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
            }

            Log.CallFailed(_logger, Operation, error.Attempts, error.Message);
            if (ReferenceEquals(error, ex))
            {
                throw;
            }

            throw error;
        }
    }

    /// <summary>
    /// Sends the request down the handler chain. Until its first wait, the chain runs on the caller's thread, and app
    /// code in it (an ILeafTokenSource written as the README's, a handler of the app's) that awaits without
    /// ConfigureAwait(false) posts its continuation back to the caller's context: a UI thread or a scheduler of the app's
    /// that is blocked on this call (sync over async) never runs it, a deadlock, or a token source held up until the
    /// attempt time-out. The chain runs without the caller's SynchronizationContext (still on its thread), and on the
    /// thread pool under a TaskScheduler of the app's, which cannot be set aside. Not async, so the call's own state
    /// machine keeps no field for it: with neither, it costs two reads.
    /// </summary>
    private Task<HttpResponseMessage> SendAsync(string? providerName, string? userId, CallState state, CancellationToken cancellationToken)
    {
        if (TaskScheduler.Current != TaskScheduler.Default)
        {
            return OnThreadPool(providerName, userId, state, cancellationToken);
        }

        var callerContext = SynchronizationContext.Current;
        if (callerContext is null)
        {
            return _api.GetResourcesAsync(providerName, userId, state, cancellationToken);
        }

        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return _api.GetResourcesAsync(providerName, userId, state, cancellationToken);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(callerContext);
        }
    }

    // Out of SendAsync: a lambda's captures are allocated where its method starts, taken or not.
    private Task<HttpResponseMessage> OnThreadPool(string? providerName, string? userId, CallState state, CancellationToken cancellationToken) =>
        Task.Run(() => _api.GetResourcesAsync(providerName, userId, state, cancellationToken));

    /// <summary>
    /// Releases the client's connection pool. Calls still in flight end with <see cref="ObjectDisposedException"/>, as do
    /// later calls. The client <c>AddLeafSdk</c> hands out needs no disposing: IHttpClientFactory owns its connections.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _http.Dispose();
        _ownedLoginClient?.Dispose();
        _primary?.Dispose();

        // The DI client's pipeline is the service provider's, shared by every client it hands out.
        if (_ownedLoginClient is not null)
        {
            _pipeline.Dispose();
        }
    }
}
