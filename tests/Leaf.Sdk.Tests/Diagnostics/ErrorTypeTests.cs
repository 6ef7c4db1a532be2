using System.Net;
using System.Net.Sockets;
using Leaf.Sdk.Diagnostics;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Leaf.Sdk.Tests.LogsAndTraces;

/// <summary>
/// The span's <c>error.type</c> for each kind of failure, including those a test cannot easily bring about over a
/// socket (a name that does not resolve, an open circuit): the values of .NET's own HttpClient spans.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ErrorTypeTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case(new LeafApiException("m", HttpStatusCode.ServiceUnavailable), "503");
        yield return Case(new LeafAuthenticationException("m", HttpStatusCode.Unauthorized), "401");
        yield return Case(new LeafApiException("m", HttpStatusCode.Found), "302");
        yield return Case(new LeafApiException("m", HttpStatusCode.OK), "Leaf.Sdk.LeafApiException");
        yield return Case(new LeafApiException("m", HttpStatusCode.MultipleChoices), "300");
        yield return Case(new LeafApiException("m", (HttpStatusCode)299), "Leaf.Sdk.LeafApiException");
        yield return Case(new LeafApiException("m", null, innerException: new TimeoutRejectedException()), "timeout");
        yield return Case(new LeafApiException("m", null, innerException: new OperationCanceledException()), "timeout");
        yield return Case(new LeafApiException("m", null, innerException: new BrokenCircuitException()), "circuit_open");
        yield return Case(Network(HttpRequestError.NameResolutionError), "name_resolution_error");
        yield return Case(Network(HttpRequestError.ConnectionError), "connection_error");
        yield return Case(Network(HttpRequestError.SecureConnectionError), "secure_connection_error");
        yield return Case(Network(HttpRequestError.ProxyTunnelError), "proxy_tunnel_error");
        yield return Case(Network(HttpRequestError.ResponseEnded), "response_ended");
        yield return Case(Network(HttpRequestError.HttpProtocolError), "http_protocol_error");
        yield return Case(Network(HttpRequestError.ExtendedConnectNotSupported), "extended_connect_not_supported");
        yield return Case(Network(HttpRequestError.VersionNegotiationError), "version_negotiation_error");
        yield return Case(Network(HttpRequestError.UserAuthenticationError), "user_authentication_error");
        yield return Case(Network(HttpRequestError.InvalidResponse), "invalid_response");
        yield return Case(Network(HttpRequestError.ConfigurationLimitExceeded), "configuration_limit_exceeded");
        yield return Case(Network(HttpRequestError.Unknown), "Leaf.Sdk.LeafApiException");
        yield return Case(new LeafApiException("m", null, innerException: new HttpIOException(HttpRequestError.ResponseEnded)), "response_ended");
        yield return Case(new LeafApiException("m", null, innerException: new SocketException((int)SocketError.ConnectionReset)), "connection_error");
        yield return Case(new LeafApiException("m", null, innerException: new IOException()), "Leaf.Sdk.LeafApiException");
        yield return Case(new LeafAuthenticationException("m", null), "Leaf.Sdk.LeafAuthenticationException");
    }

    [TestCaseSource(nameof(Cases))]
    public void Each_failure_has_its_error_type(LeafApiException error, string expected) =>
        Assert.That(LeafTelemetry.ErrorType(error), Is.EqualTo(expected));

    private static LeafApiException Network(HttpRequestError error) =>
        new("m", null, innerException: new HttpRequestException(error));

    private static TestCaseData Case(LeafApiException error, string expected) =>
        new TestCaseData(error, expected).SetArgDisplayNames(expected, error.InnerException?.GetType().Name ?? error.StatusCode?.ToString() ?? "none");
}
