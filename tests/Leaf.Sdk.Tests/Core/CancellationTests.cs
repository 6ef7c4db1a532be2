using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;

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
    public async Task Cancelling_while_Leaf_is_slow_throws_OperationCanceledException_at_once(ClientKind kind)
    {
        // Leaf's answer is held on a fake clock that nothing moves: only the cancellation can end the call.
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = TimeSpan.FromMinutes(1);
        var options = server.CreateClientOptions();
        options.MaxRetries = 3;
        using var client = TestClient.Create(kind, options);
        using var cancellation = new CancellationTokenSource();

        var call = client.Client.GetResourcesAsync(cancellationToken: cancellation.Token);
        await WaitUntilAsync(() => clock.TimersCreated == 1);
        await cancellation.CancelAsync();

        Assert.That(
            async () => await call.WaitAsync(TimeSpan.FromSeconds(10)),
            Throws.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<LeafApiException>(),
            "cancellation does not wait for Leaf");
        Assert.That(server.Requests, Is.Empty, "Leaf had not answered");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the server never held the request");
            await Task.Delay(5);
        }
    }
}
