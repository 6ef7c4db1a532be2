using System.Net;
using System.Net.Sockets;
using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.Round10bNetwork;

/// <summary>
/// Connection set-up and HTTP versions: a name that does not resolve, a refused connection, IPv6 loopback, HTTP/1.0,
/// a status line that is no HTTP, an answer of 1xx only. What the user sees, and whether a retry was made.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ConnectionTests
{
    private static readonly string Body = LeafJson.DocumentedExample;

    private static LeafClientOptions Options(Uri url, int maxRetries = 2) => new()
    {
        BaseAddress = url,
        AccessToken = Stub.Token,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(30),
        TotalTimeout = TimeSpan.FromSeconds(60),
        EnableCircuitBreaker = false,
    };

    [Test]
    public async Task A_name_that_does_not_resolve_is_retried_and_named()
    {
        // The resolver is the test's own (a ConnectCallback), so the answer does not hang on this machine's DNS set-up.
        var lookups = 0;
        var logs = new CapturingLoggerProvider();
        using var client = TestClient.Create(
            ClientKind.DependencyInjection,
            Options(new Uri("https://leaf.invalid/")),
            loggerFactory: logs.CreateFactory(),
            client: builder => builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectCallback = (_, _) =>
                {
                    Interlocked.Increment(ref lookups);
                    throw new SocketException((int)SocketError.HostNotFound);
                },
            }));

        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("Could not reach Leaf at leaf.invalid for the Sync Summary request after 3 attempts: the host name could not be resolved."));
            Assert.That(error.IsTransient, Is.True);
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(error.Attempts, Is.EqualTo(3));
            Assert.That(Volatile.Read(ref lookups), Is.EqualTo(3));
            Assert.That(logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Text.Contains("NameResolutionError", StringComparison.Ordinal)), Is.EqualTo(2));
            Assert.That(logs.Entries.Count(e => e.Level == LogLevel.Error), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_refused_connection_is_retried_and_named([Values] ClientKind kind, [Values("127.0.0.1", "[::1]")] string host)
    {
        var listener = new TcpListener(host == "[::1]" ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        listener.Dispose();
        using var client = TestClient.Create(kind, Options(new Uri($"http://{host}:{port}/")));

        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo($"Could not reach Leaf at {host} for the Sync Summary request after 3 attempts: the connection was refused."));
            Assert.That(error.IsTransient, Is.True);
            Assert.That(error.Attempts, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task IPv6_loopback_over_plain_http_is_accepted_as_loopback([Values] ClientKind kind)
    {
        using var server = new ScriptedServer(_ => (Ok11(), false), IPAddress.IPv6Loopback);
        using var client = TestClient.Create(kind, Options(server.Url));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Is.Not.Empty);
        Assert.That(server.Heads.Single(), Does.Contain("Authorization: Bearer " + Stub.Token));
    }

    [Test]
    public async Task An_HTTP_1_0_answer_read_to_the_close_works_and_a_new_connection_serves_the_next_call([Values] ClientKind kind)
    {
        using var server = new ScriptedServer(_ => ($"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{Body}", true));
        using var client = TestClient.Create(kind, Options(server.Url));

        var first = await client.Client.GetResourcesAsync();
        var second = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.Summaries, Is.Not.Empty);
            Assert.That(second.Summaries, Has.Count.EqualTo(first.Summaries.Count));
            Assert.That(server.Connections, Is.EqualTo(2), "HTTP/1.0 without keep-alive: one connection per call");
        });
    }

    [Test]
    public async Task Keep_alive_reuses_the_connection([Values] ClientKind kind)
    {
        using var server = new ScriptedServer(_ => (Ok11(), false));
        using var client = TestClient.Create(kind, Options(server.Url));

        await client.Client.GetResourcesAsync();
        await client.Client.GetResourcesAsync();

        Assert.That(server.Connections, Is.EqualTo(1));
    }

    [TestCase("FOO/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "the answer was not valid HTTP")]
    [TestCase("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\n", "the server closed the connection without a complete answer")]
    public async Task An_answer_that_is_no_HTTP_is_named(string answer, string reason)
    {
        using var server = new ScriptedServer(_ => (answer, true));
        using var client = TestClient.Create(ClientKind.Standalone, Options(server.Url, maxRetries: 1));

        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo($"Could not reach Leaf at 127.0.0.1 for the Sync Summary request after 2 attempts: {reason}."));
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(error.Attempts, Is.EqualTo(2));
        });
    }

    private static string Ok11() =>
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(Body)}\r\n\r\n{Body}";
}
