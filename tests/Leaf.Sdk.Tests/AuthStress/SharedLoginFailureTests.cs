using Leaf.Sdk.Authentication;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leaf.Sdk.Tests.AuthStress;

/// <summary>
/// A login that cannot reach Leaf, held until every caller waits on it: one login for all of them, a transient
/// <see cref="LeafApiException"/> for each caller that waited, cancellation only for those that cancelled, and the
/// failure not cached.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SharedLoginFailureTests
{
    private const int Callers = 100;

    [Test]
    public async Task Callers_waiting_on_a_login_that_cannot_reach_Leaf_share_it_and_its_transient_error()
    {
        var handler = new HeldNetworkFailure();
        using var http = new HttpClient(handler);
        var options = new LeafClientOptions { BaseAddress = new Uri("https://leaf.example/"), Username = AuthStub.Username, Password = AuthStub.Password };
        var source = new LeafLoginTokenSource(() => http, options, TimeProvider.System, NullLogger.Instance);
        var cancellations = Enumerable.Range(0, Callers).Select(_ => new CancellationTokenSource()).ToList();
        try
        {
            // GetTokenAsync returns once its caller waits on the login (nothing before that awaits), so a count of the
            // returns tells when every caller has joined. Before, a fixed 50 ms stood in for it: a caller the busy
            // thread pool ran later found the login already failed and sent a second one.
            var joined = 0;
            var calls = cancellations.Select(cts => Task.Run(() =>
            {
                var call = source.GetTokenAsync(forceRenewal: false, cts.Token).AsTask();
                Interlocked.Increment(ref joined);
                return call;
            })).ToList();
            await handler.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await ResilienceHarness.WaitUntilAsync(() => Volatile.Read(ref joined) == Callers, "every caller waits on the login");

            // Every other caller gives up while the login is held; the login must go on for the rest.
            for (var i = 0; i < Callers; i += 2)
            {
                await cancellations[i].CancelAsync();
            }

            handler.Release.SetResult();
            var outcomes = await Task.WhenAll(calls.Select(async c =>
            {
                try
                {
                    await c;
                    return null;
                }
                catch (Exception ex)
                {
                    return ex;
                }
            })).WaitAsync(TimeSpan.FromSeconds(10));

            var next = await Expect.Throws<LeafApiException>(() => source.GetTokenAsync(forceRenewal: false, CancellationToken.None).AsTask());

            Assert.Multiple(() =>
            {
                Assert.That(handler.Requests, Is.EqualTo(2), "one login for all the callers, then one more for the next call");
                for (var i = 0; i < Callers; i++)
                {
                    // A caller that cancelled after the login failed may see either; one that waited sees only the error.
                    if (i % 2 == 1)
                    {
                        Assert.That(outcomes[i], Is.TypeOf<LeafApiException>().With.Property(nameof(LeafApiException.IsTransient)).True, $"caller {i}");
                    }
                    else
                    {
                        Assert.That(outcomes[i], Is.InstanceOf<OperationCanceledException>().Or.TypeOf<LeafApiException>(), $"caller {i}");
                    }

                    Assert.That(outcomes[i]!.ToString(), Does.Not.Contain(AuthStub.Password));
                }

                Assert.That(next.IsTransient, Is.True);
            });
        }
        finally
        {
            cancellations.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The first login waits for <see cref="Release"/>; every login fails as a refused connection does.</summary>
    private sealed class HeldNetworkFailure : HttpMessageHandler
    {
        private int _requests;

        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Requests => Volatile.Read(ref _requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            Arrived.TrySetResult();
            await Release.Task.ConfigureAwait(false);
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (leaf.example:443)");
        }
    }
}
