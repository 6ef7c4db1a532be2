using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Leaf.Sdk.Diagnostics;
using Leaf.Sdk.Http;
using Leaf.Sdk.Resilience;
using Leaf.Sdk.Serialization;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Leaf.Sdk;

/// <summary>Turns every way a call can fail into one <see cref="LeafApiException"/> with a message people can act on.</summary>
internal static class LeafErrors
{
    private const int MaxErrorBodyBytes = 4096;

    public static async Task<LeafApiException> FromResponseAsync(
        HttpResponseMessage response, CallState state, LeafClientOptions options, string operation, bool renewable, bool login, CancellationToken cancellationToken)
    {
        var body = await ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        // The one place a problem body is read: every member is scrubbed here, so what is built from it needs no more.
        string?[] secrets = [response.RequestMessage?.Headers.Authorization?.Parameter, options.AccessToken, options.Password];
        var problem = Redaction.Scrub(LeafProblemReader.TryRead(body, complete: body.Length < MaxErrorBodyBytes), secrets);
        // A body as long as the cap may go on past it, and a secret with it.
        var excerpt = Redaction.Excerpt(body, cutShort: body.Length >= MaxErrorBodyBytes, secrets);
        var status = response.StatusCode;
        var code = (int)status;
        var said = Said(problem, response);
        var attempts = state.Attempts;
        var after = attempts > 1 ? $" after {attempts} attempts" : string.Empty;

        if (status == HttpStatusCode.Unauthorized)
        {
            var advice = renewable
                ? "Leaf rejected the token even after it was renewed; check that the account may use this API."
                : "Get a fresh token, or set Username and Password so the SDK logs in and renews by itself.";
            return new LeafAuthenticationException($"Leaf answered 401 Unauthorized to {operation}{said}. {advice}", status, problem, excerpt, attempts);
        }

        string hint = code switch
        {
            // Not a redirect: only an answer to a conditional request, which the SDK never makes; something in between sent it.
            304 => " The SDK never asks conditionally, so a cache or proxy between it and Leaf sent this; check BaseAddress and any proxy.",
            >= 300 and < 400 => $" The SDK does not follow redirects{RedirectTarget(response)}, so {(login ? "the username and password never leave" : "the token never leaves")} {options.BaseAddress.Host}; check BaseAddress.",
            403 => " The token is valid but may not read this data; check the Leaf user and the account's permissions.",
            // The login has no filters and no Leaf user: its 404 is a wrong address (its 400, 401, 403 and 422 are refusals,
            // LeafLoginTokenSource's own message).
            404 when login => $" Check BaseAddress: the SDK logs in at {response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Path) ?? options.BaseAddress.Host}.",
            404 => " Check BaseAddress and the leafUserId.",
            400 or 422 => " Check the provider and leafUserId filters.",
            429 => state.Retries?.Refused is { RetryAfter: true } wait
                ? $"{WaitBeyondBudget(wait)}; try again later."
                : " Leaf is rate limiting; slow down or try again later.",
            >= 500 and < 600 when LeafResiliencePipelineFactory.IsTransient(status) => " Leaf had a server-side problem; try again later.",
            // 501, 505, 511 and the like: nothing a later try would change (IsTransient is false), so no "try again".
            >= 500 and < 600 => " Leaf, or a proxy or gateway in between, cannot serve this request, and trying again will not change that; check BaseAddress and any proxy.",
            _ => string.Empty,
        };

        if (state.Retries?.Refused is { } beyond && !(code == 429 && beyond.RetryAfter))
        {
            hint += $"{WaitBeyondBudget(beyond)}.";
        }

        return new LeafApiException(
            $"Leaf answered {Status(response)} to {operation}{after}{said}.{hint}",
            status,
            problem,
            excerpt,
            LeafResiliencePipelineFactory.IsTransient(status),
            attempts);
    }

    public static LeafApiException FromException(Exception exception, CallState state, LeafClientOptions options, string operation)
    {
        var attempts = state.Attempts;
        var after = attempts > 1 ? $" after {attempts} attempts" : string.Empty;
        var host = options.BaseAddress.Host;
        var notRetried = state.Retries?.Refused is { } beyond ? $"{WaitBeyondBudget(beyond)}." : string.Empty;
        return exception switch
        {
            LeafApiException leaf when leaf.Attempts == 0 && attempts > 0 => WithAttempts(leaf, attempts),
            LeafApiException leaf => leaf,

            // No request reached Leaf: every attempt ran out while it waited for a token (a login, or the user's source).
            TimeoutRejectedException timeout when attempts == 0 && timeout.Timeout == options.AttemptTimeout && timeout.Timeout != options.TotalTimeout =>
                new LeafApiException(Invariant($"{TokenWait(options)} within AttemptTimeout ({Seconds(options.AttemptTimeout)}), so {operation} was not sent; {TokenAdvice(options)}, or raise AttemptTimeout.{notRetried}"), null, isTransient: true, attempts: attempts, innerException: exception),
            TimeoutRejectedException timeout when timeout.Timeout == options.AttemptTimeout && timeout.Timeout != options.TotalTimeout =>
                new LeafApiException(Invariant($"Leaf did not answer {operation} within AttemptTimeout ({Seconds(options.AttemptTimeout)}){after}; the service may be overloaded, or raise AttemptTimeout.{notRetried}"), null, isTransient: true, attempts: attempts, innerException: exception),
            TimeoutRejectedException =>
                new LeafApiException(Invariant($"{Capitalized(operation)} did not finish within TotalTimeout ({Seconds(options.TotalTimeout)}){after}; Leaf is slow or unreachable, or raise TotalTimeout."), null, isTransient: true, attempts: attempts, innerException: exception),
            BrokenCircuitException =>
                new LeafApiException(Invariant($"The SDK is not calling Leaf for now because most of its recent attempts to reach Leaf failed (circuit open){RetryIn()}; {NotSent(operation, attempts)}."), null, isTransient: true, attempts: attempts, innerException: exception),
            HttpRequestException http =>
                new LeafApiException($"Could not reach Leaf at {host} for {operation}{after}: {NetworkReason(http, options)}.{notRetried}", null, isTransient: !LeafResiliencePipelineFactory.FailsAgain(http), attempts: attempts, innerException: exception),
            IOException =>
                new LeafApiException($"The connection to Leaf at {host} broke while {operation} was being answered{after}.{notRetried}", null, isTransient: true, attempts: attempts, innerException: exception),

            // .NET's, unwrapped, when the connection was reset as it was set up (LeafResiliencePipelineFactory.IsTransient).
            SocketException socket =>
                new LeafApiException($"Could not reach Leaf at {host} for {operation}{after}: the connection failed as it was set up ({socket.SocketErrorCode}).{notRetried}", null, isTransient: true, attempts: attempts, innerException: exception),
            InvalidDataException undecodable => Undecompressable(operation, null, undecodable, attempts),

            // Not a cancellation: .NET's ConnectTimeout (the SDK's primary handler sets it to AttemptTimeout on the real clock).
            OperationCanceledException connect when LeafResiliencePipelineFactory.IsConnectTimeout(connect) =>
                new LeafApiException($"Could not reach Leaf at {host} for {operation}{after}: no connection could be set up within the connect time-out (AttemptTimeout, or the ConnectTimeout of a primary handler of yours).{notRetried}", null, isTransient: true, attempts: attempts, innerException: exception),
            OperationCanceledException =>
                new LeafApiException($"{Capitalized(operation)} timed out{after}.", null, isTransient: true, attempts: attempts, innerException: exception),
            _ => new LeafApiException($"{Capitalized(operation)} failed unexpectedly: {exception.GetType().Name}.", null, attempts: attempts, innerException: exception),
        };
    }

    /// <summary>
    /// A body that is no Sync Summary, from a success status other than 200 (a 204 has no body at all): the parser's
    /// error, with the status Leaf sent in its message and <see cref="LeafApiException.StatusCode"/> instead of 200.
    /// </summary>
    public static LeafApiException WithSuccessStatus(LeafApiException unreadable, HttpResponseMessage response)
    {
        const string Answered = "Leaf answered with ";
        var status = $"Leaf answered {Status(response)}";
        var message = unreadable.Message.StartsWith(Answered, StringComparison.Ordinal)
            ? $"{status} with {unreadable.Message[Answered.Length..]}"
            : $"{status}: {unreadable.Message}";
        return new LeafApiException(message, response.StatusCode, unreadable.Problem, unreadable.ResponseExcerpt, unreadable.IsTransient, unreadable.Attempts, unreadable.InnerException);
    }

    /// <summary>An answer whose body says it is compressed (Content-Encoding) and is not.</summary>
    public static LeafApiException Undecompressable(string operation, HttpStatusCode? status, Exception exception, int attempts = 0) =>
        new($"Leaf's answer to {operation} could not be decompressed: its Content-Encoding does not match its body (a proxy in between?).", status, attempts: attempts, innerException: exception);

    /// <summary>
    /// Whether reading an answer's body failed in its decompression: gzip and deflate throw InvalidDataException, Brotli
    /// InvalidOperationException ("Decoder ran into invalid data"). Only for what reads a body and nothing else (the
    /// Sync Summary's parser, the login's buffer): the serializer reports a body it cannot read as JsonException, and
    /// the transport a body that broke off as IOException or HttpRequestException, so an InvalidOperationException
    /// there is the decoder's; but for ObjectDisposedException, which is one too (the client disposed under the call).
    /// </summary>
    public static bool IsUndecodable(Exception exception) =>
        exception is InvalidDataException or (InvalidOperationException and not ObjectDisposedException);

    /// <summary>
    /// The content coding an answer still carries after the transport decoded what it could (.NET decodes gzip, deflate
    /// and br, the last coding applied, and leaves the rest named in Content-Encoding): "zstd", "x-gzip", the first "gzip"
    /// of "gzip, gzip", or any coding when the primary handler decompresses nothing. Null when none is left ("identity"
    /// is none).
    /// </summary>
    public static string? StillEncoded(HttpResponseMessage response)
    {
        var codings = response.Content.Headers.ContentEncoding;
        if (codings.Count == 0)
        {
            return null;
        }

        // A server's header, quoted in a message: no longer than a line's worth.
        const int Shown = 60;
        var left = string.Join(", ", codings.Where(static c => !string.Equals(c, "identity", StringComparison.OrdinalIgnoreCase)));
        return left.Length == 0 ? null : left.Length <= Shown ? left : string.Concat(left.AsSpan(0, Shown), "…");
    }

    /// <summary>
    /// A body that could not be read because it is still encoded: its Content-Encoding names a coding the client did not
    /// decode. Said as such, not as "not JSON" over an excerpt of compressed bytes.
    /// </summary>
    public static LeafApiException NotDecoded(string operation, HttpResponseMessage response, string coding, int attempts, Exception unreadable) =>
        new(
            $"Leaf's answer to {operation} ({Status(response)}) is still encoded as \"{Redaction.Scrub(coding)}\" (Content-Encoding), which the SDK does not decode: it asks for gzip, deflate or br, and reads them when its primary handler decompresses (AutomaticDecompression, on in the SDK's own). A proxy in between may have encoded it, or a primary handler of your own does not decompress.",
            response.StatusCode,
            attempts: attempts,
            innerException: unreadable);

    private static bool LogsIn(LeafClientOptions options) => options.TokenSource is null && !string.IsNullOrWhiteSpace(options.Username);

    private static string TokenWait(LeafClientOptions options) =>
        LogsIn(options) ? "The login to Leaf did not finish" : "The token source did not return a token";

    private static string TokenAdvice(LeafClientOptions options) =>
        LogsIn(options) ? "Leaf may be overloaded" : "check the ILeafTokenSource you configured";

    private static LeafApiException WithAttempts(LeafApiException e, int attempts) => e switch
    {
        LeafAuthenticationException auth => new LeafAuthenticationException(auth.Message, auth.StatusCode, auth.Problem, auth.ResponseExcerpt, attempts, auth.InnerException),
        _ => new LeafApiException(e.Message, e.StatusCode, e.Problem, e.ResponseExcerpt, e.IsTransient, attempts, e.InnerException),
    };

    internal static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadUpToAsync(content, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidDataException or InvalidOperationException)
        {
            // The status says enough; a body that broke off, or that says it is compressed and is not (gzip and deflate
            // throw InvalidDataException, Brotli InvalidOperationException), only loses its excerpt.
            return [];
        }
    }

    /// <summary>The first <paramref name="cap"/> bytes of a body, or all of it when shorter; a body that breaks off throws.</summary>
    internal static async Task<byte[]> ReadUpToAsync(HttpContent content, int cap, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[cap];
            var total = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return buffer[..total];
        }
    }

    /// <summary>
    /// What Leaf said in a problem body, as ": title: detail (error key k)", or nothing when it said nothing. A title that
    /// only names the status (Leaf's "Unauthorized" on a 401) is left out: the message names the status already.
    /// </summary>
    internal static string Said(LeafProblem? problem, HttpResponseMessage response)
    {
        if (problem is null)
        {
            return string.Empty;
        }

        var title = NamesStatus(problem.Title, response) ? null : problem.Title;
        var parts = new[] { title, problem.Detail }.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal).ToList();
        if (parts.Count == 0 && string.IsNullOrWhiteSpace(problem.Title) && !string.IsNullOrWhiteSpace(problem.Message))
        {
            parts.Add(problem.Message);
        }

        var text = string.Join(": ", parts);
        if (!string.IsNullOrWhiteSpace(problem.ErrorKey))
        {
            text += (text.Length > 0 ? " " : string.Empty) + $"(error key {problem.ErrorKey})";
        }

        return text.Length == 0 ? string.Empty : $": {text.ReplaceLineEndings(" ").TrimEnd('.')}";
    }

    // "Not Found" names 404 as its reason phrase and as HttpStatusCode.NotFound does: compared without spaces or case.
    private static bool NamesStatus(string? title, HttpResponseMessage response)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return false;
        }

        var squeezed = Squeezed(title);
        return squeezed.Equals(Squeezed(response.StatusCode.ToString()), StringComparison.OrdinalIgnoreCase)
            || (response.ReasonPhrase is { } reason && squeezed.Equals(Squeezed(reason), StringComparison.OrdinalIgnoreCase));
    }

    private static string Squeezed(string text) => text.Replace(" ", string.Empty, StringComparison.Ordinal).Trim();

    // The wait before the next attempt was longer than the call had left, so the SDK gave up at once: say both figures.
    private static string WaitBeyondBudget(RetryWaits.BeyondBudget wait) => wait.RetryAfter
        ? string.Create(CultureInfo.InvariantCulture, $" Leaf asked to wait {wait.Requested.TotalSeconds:0.#} s (Retry-After), more than the {wait.Left.TotalSeconds:0.#} s left of TotalTimeout")
        : Invariant($" Not retried: the back-off before the next attempt ({Seconds(wait.Requested)}, from RetryBaseDelay with jitter) is longer than the {Seconds(wait.Left)} left of TotalTimeout; keep RetryBaseDelay well under TotalTimeout");

    /// <summary>
    /// The status as "404 Not Found": its number, then its reason phrase as sent, or its name when the server sent none;
    /// the number alone for a status .NET has no name for ("418", not "418 418"), as over HTTP/2, which has no phrases.
    /// </summary>
    internal static string Status(HttpResponseMessage response)
    {
        var code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var reason = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase;
        return reason == code ? code : $"{code} {reason}";
    }

    private static string RedirectTarget(HttpResponseMessage response) =>
        response.Headers.Location is { IsAbsoluteUri: true } location ? $" (to {location.Host})" : string.Empty;

    private static string NetworkReason(HttpRequestException http, LeafClientOptions options) => http.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "the host name could not be resolved",
        HttpRequestError.ConnectionError when http.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "the connection was refused",
        HttpRequestError.ConnectionError => "the connection failed",
        HttpRequestError.SecureConnectionError when http.InnerException is AuthenticationException refused =>
            $"the TLS handshake failed, and a retry would fail the same way: {Scrubbed(refused, options)}; check that BaseAddress is Leaf's https:// address and that this machine trusts the server's certificate (a TLS-inspecting proxy's root certificate must be trusted, or the app must accept it in its own primary handler)",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",

        // Not .NET's text: it quotes the proxy's address whole, a password in it included (http://user:pw@proxy).
        HttpRequestError.ProxyTunnelError when http.StatusCode is HttpStatusCode.ProxyAuthenticationRequired =>
            "the proxy asked for credentials (407 Proxy Authentication Required) before it would open a tunnel to Leaf; set them on the proxy of the primary handler (WebProxy.Credentials), for the login's client too",
        HttpRequestError.ProxyTunnelError when http.StatusCode is { } status =>
            Invariant($"the proxy would not open a tunnel to Leaf: it answered {(int)status}"),
        HttpRequestError.ProxyTunnelError => "the proxy would not open a tunnel to Leaf",
        HttpRequestError.ResponseEnded => "the server closed the connection without a complete answer",
        HttpRequestError.InvalidResponse => "the answer was not valid HTTP",
        _ => UncategorisedReason(http, options),
    };

    // For a fault .NET has no category for (a connection reset before any answer byte, among others), its own message
    // is only "An error occurred while sending the request.": the cause is further down the chain.
    private static string UncategorisedReason(HttpRequestException http, LeafClientOptions options)
    {
        Exception innermost = http;
        for (var inner = http.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                return "the connection was reset";
            }

            innermost = inner;
        }

        var reason = Scrubbed(innermost, options);
        return reason.Length == 0 ? "a network error" : reason;
    }

    // The message is closed with a full stop of its own; .NET's texts end with one already.
    private static string Scrubbed(Exception exception, LeafClientOptions options) =>
        Redaction.Scrub(exception.Message.ReplaceLineEndings(" "), options.AccessToken, options.Password).Trim().TrimEnd('.').TrimEnd();

    // The circuit can open between the attempts of one call: then the call did reach Leaf, and must not say otherwise.
    private static string NotSent(string operation, int attempts) =>
        attempts == 0 ? $"{operation} was not sent" : Invariant($"{operation} was not retried after {attempts} attempt{(attempts == 1 ? string.Empty : "s")}");

    private static string RetryIn() =>
        Invariant($"; it tries again within {Seconds(LeafResiliencePipelineFactory.BreakerBreakDuration)}");

    private static string Seconds(TimeSpan span) => Invariant($"{span.TotalSeconds:0.###} s");

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
