using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Leaf.Sdk.Diagnostics;

/// <summary>The SDK's tracing source: one span per SDK operation, named <c>Leaf.Sdk</c>.</summary>
internal static class LeafTelemetry
{
    public const string SourceName = "Leaf.Sdk";

    /// <summary>OpenTelemetry's tag for the class of error a failed operation ended with.</summary>
    public const string ErrorTypeTag = "error.type";

    public static readonly ActivitySource Source = new(SourceName, typeof(LeafTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// The <c>error.type</c> of a call that failed with <paramref name="error"/>, by OpenTelemetry's rules and with
    /// .NET's own HTTP spans' values, so a dashboard groups the SDK's failures as it groups HttpClient's: Leaf's error
    /// status (<c>"503"</c>, or a redirect's, which the SDK refuses); else <c>"timeout"</c>, <c>"circuit_open"</c> or
    /// the kind of network error (<c>"connection_error"</c>, as <see cref="HttpRequestError"/>); else the exception's
    /// type.
    /// </summary>
    public static string ErrorType(LeafApiException error)
    {
        if (error.StatusCode is { } status && (int)status is < 200 or >= 300)
        {
            return ((int)status).ToString(CultureInfo.InvariantCulture);
        }

        return error.InnerException switch
        {
            TimeoutRejectedException or OperationCanceledException => "timeout",
            BrokenCircuitException => "circuit_open",
            HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http => NetworkErrorType(http.HttpRequestError),
            HttpIOException { HttpRequestError: not HttpRequestError.Unknown } io => NetworkErrorType(io.HttpRequestError),
            SocketException => "connection_error",
            _ => error.GetType().FullName!,
        };
    }

    // The strings of .NET's own HttpClient spans (System.Net.Http's DiagnosticsHelper), written out for trimming.
    private static string NetworkErrorType(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "name_resolution_error",
        HttpRequestError.ConnectionError => "connection_error",
        HttpRequestError.SecureConnectionError => "secure_connection_error",
        HttpRequestError.HttpProtocolError => "http_protocol_error",
        HttpRequestError.ExtendedConnectNotSupported => "extended_connect_not_supported",
        HttpRequestError.VersionNegotiationError => "version_negotiation_error",
        HttpRequestError.UserAuthenticationError => "user_authentication_error",
        HttpRequestError.ProxyTunnelError => "proxy_tunnel_error",
        HttpRequestError.InvalidResponse => "invalid_response",
        HttpRequestError.ResponseEnded => "response_ended",
        HttpRequestError.ConfigurationLimitExceeded => "configuration_limit_exceeded",
        _ => typeof(HttpRequestException).FullName!,
    };
}
