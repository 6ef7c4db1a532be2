using System.Net;
using Leaf.Sdk.DependencyInjection;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.Round10bNetwork;

/// <summary>
/// An HTTPS proxy (the app's own primary handler with a WebProxy, on both of the SDK's clients) that will not open the
/// tunnel. The proxy sees a CONNECT and nothing else: never the token, never the password.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ProxyTests
{
    private const string ProxyPassword = "proxy-pw-77";
    private const string Password = "login-pw-for-proxy-test";

    private static (TestClient Client, CapturingLoggerProvider Logs) Client(ScriptedServer proxy, bool login, int maxRetries)
    {
        var options = new LeafClientOptions
        {
            // Never reached: the proxy answers for it.
            BaseAddress = new Uri("https://leaf.example/"),
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromSeconds(30),
            TotalTimeout = TimeSpan.FromSeconds(60),
            EnableCircuitBreaker = false,
        };
        if (login)
        {
            options.Username = "user@example.com";
            options.Password = Password;
        }
        else
        {
            options.AccessToken = Stub.Token;
        }

        // A password in the proxy's address, as people write it (http://user:pw@proxy:port).
        var proxyAddress = new Uri($"http://corpuser:{ProxyPassword}@127.0.0.1:{proxy.Port}/");
        SocketsHttpHandler Handler() => new() { Proxy = new WebProxy(proxyAddress), UseProxy = true };
        var logs = new CapturingLoggerProvider();
        var client = TestClient.Create(ClientKind.DependencyInjection, options, loggerFactory: logs.CreateFactory(), client: builder =>
        {
            builder.ConfigurePrimaryHttpMessageHandler(Handler);
            builder.Services.AddHttpClient(LeafServiceCollectionExtensions.LoginHttpClientName).ConfigurePrimaryHttpMessageHandler(Handler);
        });
        return (client, logs);
    }

    [Test]
    public async Task A_proxy_asking_for_credentials_fails_at_once_saying_so([Values] bool login)
    {
        using var proxy = new ScriptedServer(_ => ("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n", true));
        var (client, logs) = Client(proxy, login, maxRetries: 3);
        using var _ = client;

        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.IsTransient, Is.False);
            Assert.That(error.StatusCode, Is.Null, "the proxy answered, not Leaf");
            Assert.That(error.Attempts, Is.EqualTo(1));
            Assert.That(error.Message, Does.Contain("proxy asked for credentials (407 Proxy Authentication Required)").And.Contain("WebProxy.Credentials"));
            Assert.That(error.Message, Does.Not.Contain(ProxyPassword));
            Assert.That(logs.Entries.Where(e => e.Level >= LogLevel.Information && e.Text.Contains(ProxyPassword, StringComparison.Ordinal)), Is.Empty);
            Assert.That(logs.Entries.Where(e => e.Text.Contains("Retrying", StringComparison.Ordinal)), Is.Empty);
            Assert.That(logs.Entries.Count(e => e.Level == LogLevel.Error), Is.EqualTo(1));
            Assert.That(proxy.Connections, Is.EqualTo(1));
        });
        AssertOnlyConnect(proxy);
    }

    [Test]
    public async Task A_proxy_that_cannot_reach_Leaf_is_retried_and_named([Values] bool login)
    {
        using var proxy = new ScriptedServer(_ => ("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", true));
        var (client, logs) = Client(proxy, login, maxRetries: 2);
        using var _ = client;

        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.IsTransient, Is.True);
            Assert.That(error.StatusCode, Is.Null, "the proxy answered, not Leaf");
            Assert.That(error.Attempts, Is.EqualTo(3));
            Assert.That(error.Message, Does.EndWith("the proxy would not open a tunnel to Leaf: it answered 502."));
            Assert.That(logs.Entries.Where(e => e.Level >= LogLevel.Information && e.Text.Contains(ProxyPassword, StringComparison.Ordinal)), Is.Empty);
            Assert.That(logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Text.Contains("Retrying", StringComparison.Ordinal)), Is.EqualTo(2));
        });
        AssertOnlyConnect(proxy);
    }

    [Test]
    public async Task A_proxy_that_hangs_up_is_retried([Values] bool login)
    {
        using var proxy = new ScriptedServer(_ => (null, true));
        var (client, _) = Client(proxy, login, maxRetries: 1);
        using var __ = client;

        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.IsTransient, Is.True);
            Assert.That(error.Attempts, Is.EqualTo(2));
            Assert.That(error.Message, Does.Contain("closed the connection without a complete answer"));
        });
        AssertOnlyConnect(proxy);
    }

    private static void AssertOnlyConnect(ScriptedServer proxy)
    {
        var heads = proxy.Heads.ToList();
        Assert.That(heads, Is.Not.Empty);
        foreach (var head in heads)
        {
            Assert.That(head, Does.StartWith("CONNECT leaf.example:443 HTTP/1.1\n"));
            Assert.That(head, Does.Not.Contain(Stub.Token).And.Not.Contain(Password).And.Not.Contain("Authorization"));
        }
    }
}
