using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Core;

/// <summary>The caller's own cancellation is the one failure that is not a LeafApiException.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class CancellationTests
{
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public void An_already_cancelled_token_throws_OperationCanceledException(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        Assert.That(
            () => client.Client.GetResourcesAsync(cancellationToken: new CancellationToken(canceled: true)),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public void Cancelling_while_Leaf_is_slow_throws_OperationCanceledException_at_once(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample).WithDelay(TimeSpan.FromSeconds(3)));
        using var client = TestClient.Create(kind, Stub.Options(server, maxRetries: 3));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.That(
            () => client.Client.GetResourcesAsync(cancellationToken: cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<LeafApiException>());
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "cancellation does not wait for Leaf");
    }
}
