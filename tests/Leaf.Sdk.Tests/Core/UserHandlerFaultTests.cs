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

    public enum OwnCancellation
    {
        /// <summary>The handler throws a TaskCanceledException of its own.</summary>
        Thrown,

        /// <summary>The handler waits on a token of its own (its own time-out, say), which is cancelled.</summary>
        OwnToken,
    }

    // No SDK time-out fired and the caller did not cancel, so the SDK cannot say whose time-out it was: the wording is
    // general. An OperationCanceledException is not a network error, so it is not retried.
    [Test]
    public async Task A_cancellation_that_is_not_the_callers_is_a_LeafApiException_saying_the_request_timed_out([Values] OwnCancellation how)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var calls = 0;
        Exception? thrown = null;
        using var own = new CancellationTokenSource();
        await own.CancelAsync();
        using var client = Create(server, maxRetries: 2, async (_, _) =>
        {
            Interlocked.Increment(ref calls);
            try
            {
                if (how == OwnCancellation.Thrown)
                {
                    throw new TaskCanceledException("The proxy handler's own time-out elapsed.");
                }

                await Task.Delay(Timeout.Infinite, own.Token);
                throw new AssertionException("the handler's own token was cancelled");
            }
            catch (OperationCanceledException ex)
            {
                thrown = ex;
                throw;
            }
        });

        var error = await CoreTestKit.ThrowsExactly<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("The Sync Summary request timed out."));
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(error.IsTransient, Is.True);
            Assert.That(error.Attempts, Is.EqualTo(1));
            Assert.That(calls, Is.EqualTo(1), "a cancellation is not retried");
            Assert.That(error.InnerException, Is.SameAs(thrown));
        });
    }

    public enum AfterCancellation
    {
        /// <summary>An IOException, with no retries left to try (MaxRetries 0).</summary>
        IOException,

        /// <summary>An ObjectDisposedException: not a network error, so not retried even with retries left.</summary>
        ObjectDisposed,

        /// <summary>An HttpRequestException, which HttpClient itself already turns into a cancellation.</summary>
        HttpRequestException,
    }

    // A transport may report the caller's cancellation as the broken connection or disposed stream it caused. With
    // retries left, Polly ends a cancelled call's transient failure itself (its back-off wait throws at once); the
    // exception the SDK must turn into a cancellation is one the retry passes on.
    [Test]
    public async Task A_caller_who_cancelled_gets_an_OperationCanceledException_even_when_the_transport_threw_something_else([Values] AfterCancellation what)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var calls = 0;
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception thrown = what switch
        {
            AfterCancellation.IOException => new IOException("The proxy dropped the connection."),
            AfterCancellation.ObjectDisposed => new ObjectDisposedException("ProxyStream"),
            _ => new HttpRequestException("The proxy dropped the connection."),
        };
        using var client = Create(server, maxRetries: what == AfterCancellation.ObjectDisposed ? 2 : 0, async (_, cancellationToken) =>
        {
            Interlocked.Increment(ref calls);
            entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Reported as what the cancellation broke, not as a cancellation.
            }

            throw thrown;
        });
        using var cts = new CancellationTokenSource();

        var call = client.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await cts.CancelAsync();
        var cancelled = await Expect.Cancelled(call);

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token), "the caller's own token");
            Assert.That(cancelled.InnerException, Is.SameAs(thrown), "what the transport said is kept");
            Assert.That(calls, Is.EqualTo(1), "a cancelled call is not retried");
            Assert.That(server.Requests(), Is.Empty);
            if (what != AfterCancellation.HttpRequestException)
            {
                // Only these reach the SDK as they were thrown; HttpClient wraps an HttpRequestException on its own.
                Assert.That(cancelled, Is.TypeOf<OperationCanceledException>());
                Assert.That(cancelled.Message, Is.EqualTo("The Sync Summary request was cancelled."));
            }
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
