using System.Text;
using Leaf.Sdk.Resilience;
using Leaf.Sdk.Tests.Round10bNetwork;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace Leaf.Sdk.Tests.Round11Time;

/// <summary>
/// A connection that is not set up in time is .NET's ConnectTimeout, a timer of its own on the real clock, which it
/// throws as a TaskCanceledException (inner TimeoutException) though nobody cancelled. Before round 11 the SDK took it
/// for no transient failure: the call ended at its first attempt, "timed out", with retries left, while the next
/// attempt's new connection would have been served. A primary handler of the user's with a ConnectTimeout shorter than
/// AttemptTimeout (a common setting, README's proxy snippet's place for it) met it on every host that drops the SYN.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ConnectTimeoutTests
{
    private static readonly string Body = LeafJson.DocumentedExample;

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_connection_that_times_out_is_retried_on_a_new_one()
    {
        using var server = Server(stalled: 1);

        // The fake clock never moves: no attempt time-out, no back-off; only the handler's connect timer ends the stall.
        var time = new FakeTimeProvider(Start);
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        using var client = Client(server, time, maxRetries: 2, TimeSpan.FromSeconds(1), loggerFactory);

        var response = await client.Client.GetResourcesAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Empty);
            Assert.That(server.Connections, Is.GreaterThanOrEqualTo(2), "the stalled connection, then one that served the retry");
            Assert.That(time.GetUtcNow(), Is.EqualTo(Start));
            Assert.That(
                logs.Collector.GetSnapshot().Where(r => r.Id.Id == 2 && r.Category == "Leaf.Sdk.Resilience").Select(r => r.Message).FirstOrDefault(),
                Does.StartWith("Retrying Leaf call after attempt 1 failed with a connection time-out"));
        });
    }

    [Test]
    public async Task Connections_that_all_time_out_end_in_a_transient_error_that_says_so_after_every_retry()
    {
        using var server = Server(stalled: int.MaxValue);
        using var client = Client(server, new FakeTimeProvider(Start), maxRetries: 2, TimeSpan.FromMilliseconds(200));

        var ex = await CatchAsync(client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.Null);
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(ex.Attempts, Is.EqualTo(3), "the first attempt and two retries");
            Assert.That(server.Connections, Is.EqualTo(3));
            Assert.That(ex.Message, Does.StartWith($"Could not reach Leaf at 127.0.0.1 for the Sync Summary request after 3 attempts: no connection could be set up within the connect time-out"));
            Assert.That(ex.InnerException, Is.InstanceOf<OperationCanceledException>().With.InnerException.InstanceOf<TimeoutException>());
        });
    }

    [Test]
    public void A_connect_time_out_is_transient_for_the_calls_and_the_login_a_cancellation_is_not()
    {
        var connect = new TaskCanceledException("The operation was canceled.", new TimeoutException("A connection could not be established within the configured ConnectTimeout."));
        var cancelled = new TaskCanceledException("The operation was canceled.");

        Assert.Multiple(() =>
        {
            Assert.That(LeafResiliencePipelineFactory.IsTransient(Outcome.FromException<HttpResponseMessage>(connect), forLogin: false), Is.True);
            Assert.That(LeafResiliencePipelineFactory.IsTransient(Outcome.FromException<HttpResponseMessage>(connect), forLogin: true), Is.True);
            Assert.That(LeafResiliencePipelineFactory.IsTransient(Outcome.FromException<HttpResponseMessage>(cancelled), forLogin: false), Is.False);
        });
    }

    private static TlsServer Server(int stalled) => new(
        TlsServer.Valid(),
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(Body)}\r\n\r\n{Body}",
        stalled);

    /// <summary>
    /// The DI client with a primary handler of the user's, as README's proxy snippet sets one, whose ConnectTimeout
    /// (real time; long enough for a handshake on a loaded machine when one is to succeed) is far shorter than
    /// AttemptTimeout.
    /// </summary>
    private static TestClient Client(TlsServer server, TimeProvider time, int maxRetries, TimeSpan connectTimeout, ILoggerFactory? loggerFactory = null)
    {
        var options = new LeafClientOptions
        {
            BaseAddress = server.Url,
            AccessToken = Stub.Token,
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.FromSeconds(30),
            TotalTimeout = TimeSpan.FromMinutes(2),
            EnableCircuitBreaker = false,
        };
        return TestClient.Create(ClientKind.DependencyInjection, options, time, loggerFactory, client: builder => builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.Subject == "CN=127.0.0.1" },
        }));
    }

    private static async Task<LeafApiException> CatchAsync(Task call)
    {
        try
        {
            await call.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (LeafApiException ex)
        {
            return ex;
        }

        Assert.Fail("the call succeeded");
        return null!;
    }
}
