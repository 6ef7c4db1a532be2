using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;

namespace Leaf.Sdk.Tests.Abuse;

/// <summary>
/// A standalone client disposed while calls are still on their way: each caller learns the client was disposed, not
/// that Leaf timed out (a transient LeafApiException invites a retry on a client that can no longer call).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class DisposeInFlightTests
{
    [Test]
    public async Task Calls_waiting_for_Leaf_when_the_client_is_disposed_throw_ObjectDisposedException()
    {
        using var server = SilentServer();
        var client = new IntegrationsClient(Options(server, new LeafClientOptions { AccessToken = "dispose-token-1234" }));
        var calls = Enumerable.Range(0, 5).Select(_ => client.GetResourcesAsync()).ToList();
        await UntilRequests(server, calls.Count);

        client.Dispose();

        foreach (var call in calls)
        {
            var error = await Expect.Throws<ObjectDisposedException>(() => call);
            Assert.That(error.ObjectName, Is.EqualTo(typeof(IntegrationsClient).FullName));
        }

        Assert.That(server.Requests, Is.EqualTo(calls.Count), "nothing was retried");
    }

    [Test]
    public async Task A_call_waiting_for_the_login_when_the_client_is_disposed_throws_ObjectDisposedException()
    {
        using var server = SilentServer();
        var client = new IntegrationsClient(Options(server, new LeafClientOptions { Username = AuthStub.Username, Password = AuthStub.Password }));
        var call = client.GetResourcesAsync();
        await UntilRequests(server, 1);

        client.Dispose();

        await Expect.Throws<ObjectDisposedException>(() => call);
        Assert.That(server.Requests, Is.EqualTo(1), "only the login was sent");
    }

    [Test]
    public async Task The_callers_own_cancellation_still_wins_over_a_dispose()
    {
        using var server = SilentServer();
        var client = new IntegrationsClient(Options(server, new LeafClientOptions { AccessToken = "dispose-token-1234" }));
        using var cancellation = new CancellationTokenSource();
        var call = client.GetResourcesAsync(cancellationToken: cancellation.Token);
        await UntilRequests(server, 1);

        await cancellation.CancelAsync();
        client.Dispose();

        var cancelled = await Expect.Cancelled(call);
        Assert.That(cancelled, Is.Not.InstanceOf<ObjectDisposedException>());
        Assert.That(cancelled.CancellationToken, Is.EqualTo(cancellation.Token));
    }

    // Reads each request and answers nothing, until the client gives up or the test ends.
    private static RawHttpServer SilentServer() => new(_ => [], stallAfterReply: true);

    private static LeafClientOptions Options(RawHttpServer server, LeafClientOptions options)
    {
        options.BaseAddress = server.Url;
        options.MaxRetries = 3;
        options.RetryBaseDelay = TimeSpan.Zero;
        options.AttemptTimeout = TimeSpan.FromSeconds(30);
        options.TotalTimeout = TimeSpan.FromSeconds(60);
        options.EnableCircuitBreaker = false;
        return options;
    }

    private static async Task UntilRequests(RawHttpServer server, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (server.Requests < count)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{count} request(s) did not arrive");
            await Task.Delay(10);
        }
    }
}
