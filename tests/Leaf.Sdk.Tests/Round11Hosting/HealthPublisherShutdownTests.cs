using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round9Cancel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaf.Sdk.Tests.Round11Hosting;

/// <summary>
/// The Leaf health check run by the Generic Host's health check publisher (a Kubernetes readiness push, say) while the
/// host stops: the check's Leaf call, on the wire or waiting for the login, ends with the publisher's stopping token, the
/// host stops, and the disposal after it logs no Error.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HealthPublisherShutdownTests
{
    [Test]
    public async Task Stopping_the_host_while_the_published_check_calls_Leaf_logs_no_Error([Values] bool inTheLogin)
    {
        using var server = new CancelServer
        {
            LoginToken = AuthStub.Jwt(HostedLeaf.Epoch + TimeSpan.FromHours(1)),
            Resources = _ => Answer.HoldHeaders,
            HoldLoginsFrom = inTheLogin ? 1 : int.MaxValue,
        };
        var publisher = new Publisher();
        var (host, logs) = HostedLeaf.Build(HostedLeaf.Options(server, login: inTheLogin), services =>
        {
            services.AddHealthChecks().AddLeafSync();
            services.Configure<HealthCheckPublisherOptions>(o =>
            {
                o.Delay = TimeSpan.Zero;
                o.Period = TimeSpan.FromHours(1);
            });
            services.AddSingleton<IHealthCheckPublisher>(publisher);
        });

        await host.StartAsync();
        await HostedLeaf.UntilAsync(() => (inTheLogin ? server.LoginRequests : server.ResourceRequests) >= 1, "the check's call on the wire");
        await host.StopAsync();
        var disposeError = await HostedLeaf.DisposeAsync(host);

        Assert.Multiple(() =>
        {
            Assert.That(disposeError, Is.Null);
            Assert.That(HostedLeaf.Errors(logs), Is.Empty, "Errors logged by the stop");
            Assert.That(publisher.Reports, Is.Zero, "a report published for a check the stop cancelled");
        });
    }

    private sealed class Publisher : IHealthCheckPublisher
    {
        private int _reports;

        public int Reports => Volatile.Read(ref _reports);

        public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reports);
            return Task.CompletedTask;
        }
    }
}
