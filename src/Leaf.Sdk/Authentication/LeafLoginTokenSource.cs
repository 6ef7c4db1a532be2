using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Leaf.Sdk.Diagnostics;
using Leaf.Sdk.Http;
using Leaf.Sdk.Serialization;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Authentication;

/// <summary>
/// Logs in with the API owner's credentials and caches the token until shortly before it expires. Any number of
/// concurrent callers on a cold or expired cache share one login; a failed login is not cached. Ahead of expiry, only
/// the caller that starts the renewal waits for it, and a failed renewal keeps the cached token until it expires, with
/// the next try after <see cref="RenewalRetryDelay"/>. A caller that gives up does not cancel the login for the others.
/// </summary>
internal sealed class LeafLoginTokenSource : ILeafTokenSource, IRenewableTokenSource, IDisposable
{
    internal const string LoginPath = "api/authenticate";
    internal static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);
    internal static readonly TimeSpan RememberMeLifetime = TimeSpan.FromDays(30);
    internal static readonly TimeSpan SkewedTokenLifetime = TimeSpan.FromMinutes(1);

    // As Azure.Core's bearer-token policy waits before it tries a failed background refresh again.
    internal static readonly TimeSpan RenewalRetryDelay = TimeSpan.FromSeconds(30);

    private readonly Func<HttpClient> _loginClient;
    private readonly Uri _loginUri;
    private readonly LeafClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Cancelled when the client or the service provider that owns this source is disposed: the login belongs to no
    // caller, so nothing else ends one that Leaf holds, and every call waiting for it would wait out its time-outs.
    private readonly CancellationTokenSource _stopping = new();
    private CachedToken? _current;
    private Task<CachedToken>? _inflight;
    private DateTimeOffset _renewalPausedUntil = DateTimeOffset.MinValue;
    private int _logins;

    public LeafLoginTokenSource(Func<HttpClient> loginClient, LeafClientOptions options, TimeProvider time, ILogger logger)
    {
        _loginClient = loginClient;

        // Under the API root as Refit places the Sync Summary path: a relative "api/authenticate" against a root with a
        // path but no trailing slash ("https://gateway/leaf") would drop the path's last segment.
        _loginUri = new Uri(options.BaseAddress.AbsoluteUri.TrimEnd('/') + "/" + LoginPath, UriKind.Absolute);
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many login requests were started (for tests and diagnostics).</summary>
    internal int LoginCount => Volatile.Read(ref _logins);

    public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (!forceRenewal && current is not null && _time.GetUtcNow() < current.RenewAt)
        {
            return ValueTask.FromResult(current.Token);
        }

        return new ValueTask<string>(SharedLoginAsync(forceRenewal ? current?.Token : null, cancellationToken));
    }

    public ValueTask<string> RenewAsync(string rejectedToken, CancellationToken cancellationToken) =>
        new(SharedLoginAsync(rejectedToken, cancellationToken));

    public override string ToString() => "LeafLoginTokenSource { credentials redacted }";

    /// <summary>Ends a login in flight: its callers learn that the client was disposed.</summary>
    public void Dispose() => _stopping.Cancel();

    private async Task<string> SharedLoginAsync(string? rejectedToken, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Task<CachedToken> login;
        lock (_gate)
        {
            var now = _time.GetUtcNow();

            // Another caller may have renewed while this one waited for the lock: its token is the fresh one.
            if (_current is { } current && current.Token != rejectedToken && now < current.RenewAt)
            {
                return current.Token;
            }

            // Ahead of exp, nobody has refused the cached token and Leaf still takes it. While a renewal is under way,
            // only the caller that started it waits (a login that is slow or hangs must not hold up, and time out,
            // every call of those last minutes); after one failed, the next waits out the pause instead of every call
            // of a login outage sending Leaf another login.
            if ((_inflight is not null || now < _renewalPausedUntil)
                && rejectedToken is null && _current is { } valid && now < valid.ExpiresAt)
            {
                return valid.Token;
            }

            if (_inflight is null)
            {
                _inflight = LoginAsync();

                // Every waiter may have given up before the login fails; observe the failure so it does not surface
                // later as TaskScheduler.UnobservedTaskException.
                _ = _inflight.ContinueWith(
                    static t => _ = t.Exception,
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }

            login = _inflight;
        }

        try
        {
            var token = await login.WaitAsync(cancellationToken).ConfigureAwait(false);
            return token.Token;
        }
        catch (LeafApiException) when (rejectedToken is null && Volatile.Read(ref _current) is { } cached && _time.GetUtcNow() < cached.ExpiresAt)
        {
            // The renewal ahead of exp failed (logged as such), but nobody refused the cached token and it has not
            // expired: Leaf still takes it. Failing the call would turn a login outage into an API outage minutes early;
            // the login is tried again after a pause.
            lock (_gate)
            {
                _renewalPausedUntil = _time.GetUtcNow() + RenewalRetryDelay;
            }

            return cached.Token;
        }
    }

    private async Task<CachedToken> LoginAsync()
    {
        // Never completes synchronously, so _inflight is assigned before this login clears it. ForceYielding
        // continues on the thread pool: Task.Yield would post to the caller's SynchronizationContext, which a UI
        // thread blocked on the call never runs.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        var published = false;
        Exception? failure = null;
        try
        {
            Interlocked.Increment(ref _logins);
            Log.LoggingIn(_logger, "/" + LoginPath);
            var token = await RequestTokenAsync().ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var expiresAt = JwtExpiry.Read(token) ?? now + (_options.RememberMe ? RememberMeLifetime : DefaultLifetime);
            var lifetime = expiresAt - now;
            var margin = lifetime > RenewalMargin * 2 ? RenewalMargin : lifetime / 2;

            // A token that is already due by this machine's clock (clock skew) would send every call to the login:
            // keep it briefly instead. Should Leaf really refuse it, its 401 still renews it at once.
            var renewAt = expiresAt - margin > now ? expiresAt - margin : now + SkewedTokenLifetime;
            var cached = new CachedToken(token, renewAt, expiresAt);

            // In one step: a caller that reads the new token from the cache, sends it and has it refused before this
            // login counted as finished would otherwise join this login and get the refused token back.
            lock (_gate)
            {
                Volatile.Write(ref _current, cached);
                _inflight = null;
            }

            published = true;
            Log.LoggedIn(_logger, expiresAt);
            return cached;
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            // Once published, _inflight may already be a newer login's.
            if (!published)
            {
                lock (_gate)
                {
                    _inflight = null;
                }

                // Logged once the login is no longer in flight: a caller that acts on the event starts a login of its
                // own, where before it could still join this one, in the moment between the event and the release, and
                // get its failure.
                if (failure is not null and not ObjectDisposedException)
                {
                    Log.LoginFailed(_logger, failure is LeafApiException ? failure.Message : failure.GetType().Name);
                }
            }
        }
    }

    private async Task<string> RequestTokenAsync()
    {
        const string Operation = "the login";
        var state = new CallState(_time.GetTimestamp());

        // Serialized up front so the body goes with a Content-Length: JsonContent streams it chunked, which a gateway
        // or an HTTP/1.0 proxy in front of Leaf may refuse (411 Length Required) before the login reaches Leaf.
        using var request = new HttpRequestMessage(HttpMethod.Post, _loginUri)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(
                new LoginRequest(_options.Username!, _options.Password!, _options.RememberMe ? "true" : "false"),
                LeafJsonContext.Default.LoginRequest))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
            },
            // As the Sync Summary call asks: a gateway or Leaf's error handler that negotiates then answers a refused
            // login with a problem JSON the SDK can read, not an HTML or XML page.
            Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
        };
        request.Options.Set(CallState.OptionsKey, state);

        HttpResponseMessage response;
        try
        {
            // The login belongs to every caller waiting on it, so no single caller's token may cancel it; the
            // pipeline's time-outs bound it, its answer's body included (LoginAnswer reads it within each attempt, so
            // what is read below is already in memory), and so does the disposal of its owner.
            response = await _loginClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (_stopping.IsCancellationRequested)
        {
            throw new ObjectDisposedException("the Leaf login", ex);
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            // A disposed part (the service provider the DI client came from) is no login failure: the client says so.
            throw LeafErrors.FromException(ex, state, _options, Operation);
        }

        using (response)
        {
            // 422 is a 400 by another name: the credentials' form (a username that is no e-mail address, say).
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity)
            {
                var refused = await LeafErrors.FromResponseAsync(response, state, _options, Operation, renewable: false, login: true, CancellationToken.None).ConfigureAwait(false);
                throw new LeafAuthenticationException(
                    $"Leaf refused the login for the configured Username ({LeafErrors.Status(response)}){LeafErrors.Said(refused.Problem, response)}. Check Username and Password.",
                    response.StatusCode,
                    refused.Problem,
                    refused.ResponseExcerpt,
                    state.Attempts);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await LeafErrors.FromResponseAsync(response, state, _options, Operation, renewable: false, login: true, CancellationToken.None).ConfigureAwait(false);
            }

            LoginResponse? body;
            try
            {
                // Read as UTF-8 (JSON between systems, RFC 8259), as the Sync Summary is, whatever charset the answer
                // names: ReadFromJsonAsync would transcode by it, and fail the login on a misspelt one ("utf8").
                var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    body = await JsonSerializer.DeserializeAsync(stream, LeafJsonContext.Default.LoginResponse).ConfigureAwait(false);
                }
            }
            catch (JsonException ex) when (LeafErrors.StillEncoded(response) is { } coding)
            {
                // Not the credentials' fault, so no LeafAuthenticationException: a proxy, or a handler that does not decompress.
                throw LeafErrors.NotDecoded(Operation, response, coding, state.Attempts, WithoutAnswerText(ex));
            }
            catch (JsonException ex)
            {
                throw new LeafAuthenticationException($"Leaf's login answer ({LeafErrors.Status(response)}) was not valid JSON.", response.StatusCode, attempts: state.Attempts, innerException: WithoutAnswerText(ex));
            }

            if (string.IsNullOrWhiteSpace(body?.IdToken))
            {
                throw new LeafAuthenticationException($"Leaf's login answer ({LeafErrors.Status(response)}) had no id_token.", response.StatusCode, attempts: state.Attempts);
            }

            // Refused here, not when it is sent: cached, a token no header can carry failed every call until its exp
            // (30 days when it has none), where a login again may well get a good one.
            if (BearerTokenText.IndexOfInvalid(body.IdToken) is >= 0 and var invalid)
            {
                throw new LeafAuthenticationException(
                    $"Leaf's login answer ({LeafErrors.Status(response)}) had an id_token that cannot be sent as a bearer token: {BearerTokenText.Describe(body.IdToken, invalid)}. A proxy or gateway between the SDK and Leaf may have changed it; the next call logs in again.",
                    response.StatusCode,
                    attempts: state.Attempts);
            }

            return body.IdToken;
        }
    }

    /// <summary>
    /// Where and how the login answer broke, with nothing of its text: the answer is where the token arrives, and the
    /// reader's message quotes an invalid literal with all that follows it (an unquoted token), its path spells the keys
    /// the error is inside (a password echoed as one), and the reader's exception inside repeats the literal.
    /// </summary>
    internal static JsonException WithoutAnswerText(JsonException ex)
    {
        var what = SyncSummaryParser.WithoutPosition(ex.Message);
        if (SyncSummaryParser.FindLiteral(what) is (var start, var end))
        {
            // "'…' is an invalid JSON literal. Expected …" reads "An invalid JSON literal. Expected …"; a resource key
            // ("ExpectedTrue, …") is left alone.
            what = start == 1
                ? "An invalid JSON literal" + what[(end + "' is an invalid JSON literal".Length)..]
                : what[..start].TrimEnd(' ', ',') + what[end..];
        }

        return new JsonException(
            string.Create(CultureInfo.InvariantCulture, $"{what} LineNumber: {ex.LineNumber} | BytePositionInLine: {ex.BytePositionInLine}."),
            path: null,
            ex.LineNumber,
            ex.BytePositionInLine);
    }

    private sealed record CachedToken(string Token, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => $"CachedToken {{ token redacted, RenewAt = {RenewAt:O}, ExpiresAt = {ExpiresAt:O} }}";
    }
}
