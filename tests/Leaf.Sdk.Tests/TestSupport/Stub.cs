using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>WireMock.Net shortcuts: every server is on a free port, one per test, so tests run in parallel.</summary>
public static class Stub
{
    public const string ResourcesPath = "/services/integrations/api/resources";
    public const string Token = "test-token-123";

    public static WireMockServer Start() => WireMockServer.Start();

    /// <summary>Options pointing at <paramref name="server"/> with a static token; no retries unless asked for.</summary>
    /// <remarks>
    /// The time-outs only bound a hang: most tests run them on real time, and the first calls of a test run pay for
    /// a cold process (JIT, Kestrel, WireMock) on a busy machine. 5 s was not enough there: the first logins of a run
    /// timed out (LoginCharsetTests, under load).
    /// </remarks>
    public static LeafClientOptions Options(WireMockServer server, int maxRetries = 0) => new()
    {
        BaseAddress = new Uri(server.Url!),
        AccessToken = Token,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(30),
        TotalTimeout = TimeSpan.FromSeconds(60),
        EnableCircuitBreaker = false,
    };

    /// <summary>Answers the Sync Summary path with <paramref name="body"/>.</summary>
    public static void Resources(this WireMockServer server, string body, int status = 200, string contentType = "application/json") =>
        server.Given(Request.Create().WithPath(ResourcesPath).UsingGet()).RespondWith(Answer(body, status, contentType));

    /// <summary>
    /// Answers the Sync Summary path with <paramref name="body"/> on a server of its own, calls it once through a client
    /// of <paramref name="kind"/> built from <see cref="Options"/>, and returns the <see cref="LeafApiException"/> the
    /// call threw; a success, or any other exception (a subclass included), fails the test.
    /// </summary>
    public static Task<LeafApiException> FailureAsync(ClientKind kind, string body, int status = 200, string contentType = "application/json", int maxRetries = 0) =>
        FailureAsync(kind, Answer(body, status, contentType), maxRetries);

    /// <summary>As <see cref="FailureAsync(ClientKind, string, int, string, int)"/>, for an answer the test builds: bytes, headers.</summary>
    public static async Task<LeafApiException> FailureAsync(ClientKind kind, IResponseBuilder answer, int maxRetries = 0)
    {
        using var server = Start();
        server.Given(Request.Create().WithPath(ResourcesPath).UsingGet()).RespondWith(answer);
        using var client = TestClient.Create(kind, Options(server, maxRetries));
        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.Client.GetResourcesAsync());
        return error ?? throw new AssertionException("expected a LeafApiException");
    }

    private static IResponseBuilder Answer(string body, int status, string contentType) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
}
