using System.Reflection;
using System.Text;
using Leaf.Sdk.DependencyInjection;
using Leaf.Sdk.Http;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round10bNetwork;

/// <summary>
/// A server that stalls one TLS handshake and serves every later connection. .NET goes on setting a connection up after
/// the attempt that asked for it gave up, and queues the next requests on it: unbounded, every later call waited on the
/// stalled handshake and timed out (round 10b). The SDK's primary handler bounds it by the attempt time-out.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class StalledHandshakeTests
{
    private static readonly string Body = LeafJson.DocumentedExample;

    [Test]
    public async Task One_stalled_handshake_does_not_hold_the_calls_after_it()
    {
        using var server = new TlsServer(
            TlsServer.Valid(),
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(Body)}\r\n\r\n{Body}",
            stalled: 1);
        var options = new LeafClientOptions
        {
            BaseAddress = server.Url,
            AccessToken = Stub.Token,
            MaxRetries = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromMilliseconds(300),
            EnableCircuitBreaker = false,
        };

        // The SDK's own primary handler, taught to trust the test's certificate.
        using var client = TestClient.Create(ClientKind.DependencyInjection, options, client: builder => builder.ConfigurePrimaryHttpMessageHandler(() =>
        {
            var handler = LeafHttpPipeline.CreatePrimaryHandler(options.AttemptTimeout);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.Subject == "CN=127.0.0.1";
            return handler;
        }));

        // The first call may fail (its first attempt stalls); by the third the stalled connection has been given up.
        for (var call = 0; call < 2; call++)
        {
            try
            {
                await client.Client.GetResourcesAsync();
            }
            catch (LeafApiException)
            {
                // Allowed for the calls that met the stall.
            }
        }

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Is.Not.Empty);
        Assert.That(server.Connections, Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void The_primary_handler_of_both_clients_bounds_a_new_connection_by_the_attempt_time_out()
    {
        var options = new LeafClientOptions { BaseAddress = new Uri("https://leaf.example/"), AccessToken = Stub.Token, AttemptTimeout = TimeSpan.FromSeconds(7) };

        using var standalone = new IntegrationsClient(options);
        var primary = (SocketsHttpHandler)typeof(IntegrationsClient).GetField("_primary", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(standalone)!;

        var services = new ServiceCollection();
        services.AddLeafSdk(o => TestClient.Copy(options, o));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.Multiple(() =>
        {
            Assert.That(primary.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(Innermost(factory.CreateHandler(LeafHttpPipeline.ClientName)).ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(Innermost(factory.CreateHandler(LeafServiceCollectionExtensions.LoginHttpClientName)).ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
        });
    }

    // .NET's ConnectTimeout is on the real clock. Under a clock of the app's own, an AttemptTimeout of a few milliseconds
    // of test time became a real-time bound that failed connections to a local server at random on a loaded machine
    // (Round8Options/BackoffBudgetTests, FaultMatrixTests: "timed out" before any answer).
    [Test]
    public void Under_a_clock_of_the_apps_own_a_new_connection_has_NET_s_default_bound_none()
    {
        var options = new LeafClientOptions { BaseAddress = new Uri("https://leaf.example/"), AccessToken = Stub.Token, AttemptTimeout = TimeSpan.FromMilliseconds(10) };
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();

        using var standalone = new IntegrationsClient(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, clock);
        var primary = (SocketsHttpHandler)typeof(IntegrationsClient).GetField("_primary", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(standalone)!;

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddLeafSdk(o => TestClient.Copy(options, o));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.Multiple(() =>
        {
            Assert.That(primary.ConnectTimeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
            Assert.That(Innermost(factory.CreateHandler(LeafHttpPipeline.ClientName)).ConnectTimeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
            Assert.That(Innermost(factory.CreateHandler(LeafServiceCollectionExtensions.LoginHttpClientName)).ConnectTimeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
        });
    }

    private static SocketsHttpHandler Innermost(HttpMessageHandler handler)
    {
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        return (SocketsHttpHandler)handler;
    }
}
