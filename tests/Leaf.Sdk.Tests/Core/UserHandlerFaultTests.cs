using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Core;

/// <summary>
/// Failures raised by a handler the user added through the builder <c>AddLeafSdk</c> returns: it sits below the SDK's
/// handlers, so whatever it throws reaches the SDK as if the transport had thrown it. Only the DI client takes such
/// handlers, so these cases have no standalone twin.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UserHandlerFaultTests
{
    [Test]
    public async Task A_network_error_dotnet_gives_no_category_names_its_innermost_cause_scrubbed_with_one_full_stop()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var calls = 0;
        using var client = Create(server, maxRetries: 1, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new HttpRequestException(
                "An error occurred while sending the request.",
                new IOException("The proxy closed the tunnel for Bearer sk-live-123456789."));
        });

        var error = await CoreTestKit.ThrowsExactly<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo($"Could not reach Leaf at {new Uri(server.Url!).Host} for the Sync Summary request after 2 attempts: The proxy closed the tunnel for Bearer [redacted]."));
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(error.IsTransient, Is.True);
            Assert.That(error.Attempts, Is.EqualTo(2));
            Assert.That(calls, Is.EqualTo(2), "a network error is retried");
            Assert.That(error.InnerException, Is.TypeOf<HttpRequestException>());
            Assert.That(server.Requests(), Is.Empty);
        });
    }

    private static TestClient Create(WireMock.Server.WireMockServer server, int maxRetries, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send) =>
        TestClient.Create(ClientKind.DependencyInjection, Stub.Options(server, maxRetries), client: b => b.AddHttpMessageHandler(() => new FaultingHandler(send)));

    /// <summary>A handler of the user's that answers, or throws, in place of the network.</summary>
    private sealed class FaultingHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            send(request, cancellationToken);
    }
}
