using System.Collections.Concurrent;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round9Cancel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.Round11Hosting;

/// <summary>
/// The SDK in a Generic Host worker, as apps poll Leaf: a BackgroundService calling the client in a loop with its
/// stopping token. When the host stops, wherever the call is (on the wire, in a back-off, waiting for a Retry-After, in
/// the login, in the login a 401 started), the stopping token ends it at once as an OperationCanceledException, which
/// the host takes for a clean stop: not a LeafApiException, not an ObjectDisposedException, and nothing logged as an
/// Error by the SDK, Polly or the host, also when the service provider is disposed after the stop.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class WorkerShutdownTests
{
    public enum Stage
    {
        OnTheWire,
        InBackOff,
        WaitingForRetryAfter,
        InTheLogin,
        InTheLoginA401Started,
    }

    [Test]
    public async Task Stopping_the_host_ends_the_workers_call_as_a_clean_cancellation_wherever_it_is([Values] Stage stage)
    {
        using var server = new CancelServer { LoginToken = AuthStub.Jwt(HostedLeaf.Epoch + TimeSpan.FromHours(1)) };
        var login = stage is Stage.InTheLogin or Stage.InTheLoginA401Started;
        server.HoldLoginsFrom = stage switch
        {
            Stage.InTheLogin => 1,
            Stage.InTheLoginA401Started => 2,
            _ => int.MaxValue,
        };

        // A few good polls first, then the stage the host stops in.
        server.Resources = n => n <= 3 ? Answer.Ok : stage switch
        {
            Stage.OnTheWire => Answer.HoldHeaders,
            Stage.InBackOff => Answer.Unavailable,
            Stage.WaitingForRetryAfter => Answer.RetryAfter,
            Stage.InTheLoginA401Started => Answer.Unauthorized,
            _ => Answer.Ok,
        };

        var (host, logs) = HostedLeaf.Build(HostedLeaf.Options(server, login), s => s.AddHostedService<PollingWorker>());
        var worker = host.Services.GetServices<IHostedService>().OfType<PollingWorker>().Single();
        await host.StartAsync();

        await HostedLeaf.UntilAsync(
            stage switch
            {
                Stage.OnTheWire => () => server.ResourceRequests >= 4,
                Stage.InBackOff or Stage.WaitingForRetryAfter => () => logs.GetSnapshot().Any(r => r.Category == "Leaf.Sdk.Resilience" && r.Level == LogLevel.Warning),
                Stage.InTheLogin => () => server.LoginRequests >= 1,
                _ => () => server.LoginRequests >= 2,
            },
            $"the worker's call to reach {stage}");

        await host.StopAsync();
        var stopped = worker.ExecuteTask!.IsCompleted;
        var disposeError = await HostedLeaf.DisposeAsync(host);

        Assert.Multiple(() =>
        {
            Assert.That(disposeError, Is.Null, "disposing the host after the stop");
            Assert.That(stopped, Is.True, "the worker was still calling when the host's shutdown time-out ran out");
            Assert.That(worker.Failures, Is.Empty, "the worker's calls failed with something other than the stopping token's cancellation");
            Assert.That(worker.Ended, Is.InstanceOf<OperationCanceledException>(), "how the worker's last call ended");
            Assert.That(worker.Succeeded, Is.GreaterThanOrEqualTo(stage == Stage.InTheLogin ? 0 : 3));
            Assert.That(HostedLeaf.Errors(logs), Is.Empty, "Errors logged by the stop");
        });
    }

    [Test]
    public async Task A_worker_that_polls_without_pause_stops_with_the_host_and_the_provider_disposes_cleanly()
    {
        using var server = new CancelServer();
        var (host, logs) = HostedLeaf.Build(HostedLeaf.Options(server, login: false), s => s.AddHostedService<PollingWorker>());
        var worker = host.Services.GetServices<IHostedService>().OfType<PollingWorker>().Single();
        await host.StartAsync();
        await HostedLeaf.UntilAsync(() => worker.Succeeded >= 20, "twenty polls");

        await host.StopAsync();
        var stopped = worker.ExecuteTask!.IsCompleted;
        var disposeError = await HostedLeaf.DisposeAsync(host);

        Assert.Multiple(() =>
        {
            Assert.That(disposeError, Is.Null, "disposing the host after the stop");
            Assert.That(stopped, Is.True);
            Assert.That(worker.Failures, Is.Empty);
            Assert.That(HostedLeaf.Errors(logs), Is.Empty);
        });
    }

    /// <summary>A worker as the README's service would be hosted: poll, and stop when the host stops.</summary>
    private sealed class PollingWorker(IServiceScopeFactory scopes) : BackgroundService
    {
        private int _succeeded;

        public int Succeeded => Volatile.Read(ref _succeeded);

        public ConcurrentQueue<Exception> Failures { get; } = new();

        public Exception? Ended { get; private set; }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                while (true)
                {
                    // A scope per tick, as a worker does for scoped services of its own.
                    using var scope = scopes.CreateScope();
                    var leaf = scope.ServiceProvider.GetRequiredService<IIntegrationsClient>();
                    try
                    {
                        await leaf.GetResourcesAsync(cancellationToken: stoppingToken);
                        Interlocked.Increment(ref _succeeded);
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException && stoppingToken.IsCancellationRequested))
                    {
                        Failures.Enqueue(ex);
                        if (stoppingToken.IsCancellationRequested)
                        {
                            return;
                        }
                    }
                }
            }
            catch (Exception ex)
            {
                Ended = ex;
                throw;
            }
        }
    }
}
