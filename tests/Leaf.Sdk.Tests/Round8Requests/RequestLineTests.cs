using System.Net;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round8Requests;

/// <summary>The Sync Summary request line and Host header, byte for byte, for the base addresses users configure.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class RequestLineTests
{
    private const string Path = "/services/integrations/api/resources";

    // A gateway in front of Leaf, with and without the trailing slash, an escaped segment, and the plain root.
    [TestCase(ClientKind.Standalone, "", "")]
    [TestCase(ClientKind.Standalone, "/", "")]
    [TestCase(ClientKind.Standalone, "/leaf", "/leaf")]
    [TestCase(ClientKind.Standalone, "/leaf/", "/leaf")]
    [TestCase(ClientKind.Standalone, "/gw/v2/leaf/", "/gw/v2/leaf")]
    [TestCase(ClientKind.Standalone, "/a%20b/", "/a%20b")]
    [TestCase(ClientKind.DependencyInjection, "", "")]
    [TestCase(ClientKind.DependencyInjection, "/leaf", "/leaf")]
    [TestCase(ClientKind.DependencyInjection, "/leaf/", "/leaf")]
    [TestCase(ClientKind.DependencyInjection, "/gw/v2/leaf/", "/gw/v2/leaf")]
    public async Task The_path_goes_under_the_configured_root_with_no_double_slash(ClientKind kind, string root, string expectedPrefix)
    {
        using var server = Ok();
        using var client = TestClient.Create(kind, Options(new Uri($"http://127.0.0.1:{server.Port}{root}")));

        await client.Client.GetResourcesAsync();

        var request = server.Requests.Single();
        Assert.That(request.RequestLine, Is.EqualTo($"GET {expectedPrefix}{Path} HTTP/1.1"));
        Assert.That(request.One("Host"), Is.EqualTo($"127.0.0.1:{server.Port}"));
    }

    [TestCase(ClientKind.Standalone, "LOCALHOST", "localhost")]
    [TestCase(ClientKind.DependencyInjection, "LocalHost", "localhost")]
    public async Task An_upper_case_host_is_sent_in_its_canonical_form(ClientKind kind, string host, string expected)
    {
        using var server = Ok();
        using var client = TestClient.Create(kind, Options(new Uri($"http://{host}:{server.Port}/Leaf/")));

        await client.Client.GetResourcesAsync();

        var request = server.Requests.Single();
        Assert.That(request.One("Host"), Is.EqualTo($"{expected}:{server.Port}"));
        Assert.That(request.Target, Is.EqualTo("/Leaf" + Path), "the path keeps its case: a gateway's routes may not ignore it");
        Assert.That(request.One("Authorization"), Is.EqualTo("Bearer " + Stub.Token), "the host is the configured one, whatever its case");
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_IPv6_loopback_address_is_reached_and_named_in_brackets(ClientKind kind)
    {
        using var server = IPv6LoopbackServer();
        using var client = TestClient.Create(kind, Options(new Uri($"http://[::1]:{server.Port}/leaf")));

        await client.Client.GetResourcesAsync();

        var request = server.Requests.Single();
        Assert.That(request.RequestLine, Is.EqualTo($"GET /leaf{Path} HTTP/1.1"));
        Assert.That(request.One("Host"), Is.EqualTo($"[::1]:{server.Port}"));
        Assert.That(request.One("Authorization"), Is.EqualTo("Bearer " + Stub.Token));
    }

    private static IEnumerable<TestCaseData> EveryFilter()
    {
        foreach (var kind in new[] { ClientKind.Standalone, ClientKind.DependencyInjection })
        {
            yield return new TestCaseData(kind, null, null, Path);
            yield return new TestCaseData(kind, null, LeafJson.UserId, $"{Path}?leafUserId={LeafJson.UserId}");
            foreach (var info in Providers.All)
            {
                yield return new TestCaseData(kind, info.Provider, null, $"{Path}?provider={info.ApiName}");
                yield return new TestCaseData(kind, info.Provider, LeafJson.UserId, $"{Path}?provider={info.ApiName}&leafUserId={LeafJson.UserId}");
            }
        }
    }

    [TestCaseSource(nameof(EveryFilter))]
    public async Task Each_filter_is_one_query_parameter_in_a_fixed_order_and_an_absent_one_is_left_out(ClientKind kind, Provider? provider, string? userId, string target)
    {
        using var server = Ok();
        using var client = TestClient.Create(kind, Options(server.Url));

        await client.Client.GetResourcesAsync(provider, userId is null ? null : Guid.Parse(userId));

        Assert.That(server.Requests.Single().Target, Is.EqualTo(target));
    }

    [Test]
    public async Task A_user_id_is_sent_lower_case_with_hyphens_whatever_the_Guid_was_parsed_from()
    {
        using var server = Ok();
        using var client = TestClient.Create(ClientKind.Standalone, Options(server.Url));

        await client.Client.GetResourcesAsync(leafUserId: Guid.Parse("{" + LeafJson.UserId.ToUpperInvariant() + "}"));

        Assert.That(server.Requests.Single().Target, Is.EqualTo($"{Path}?leafUserId={LeafJson.UserId}"));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Each_attempt_is_exactly_one_request_carrying_one_token(ClientKind kind)
    {
        var n = 0;
        using var server = new WireRecorder(_ => Interlocked.Increment(ref n) <= 2
            ? WireRecorder.Json("""{"title":"busy"}""", 503, "Service Unavailable")
            : WireRecorder.Json(LeafJson.DocumentedExample));
        var options = Options(server.Url);
        options.MaxRetries = 3;
        using var client = TestClient.Create(kind, options);

        await client.Client.GetResourcesAsync(Provider.Stara);

        Assert.That(server.Requests, Has.Count.EqualTo(3));
        Assert.That(server.Requests.Select(r => r.All("Authorization")), Is.All.EqualTo(new[] { "Bearer " + Stub.Token }));
        Assert.That(server.Requests.Select(r => r.Target), Is.All.EqualTo($"{Path}?provider=Stara"));
        Assert.That(server.Requests.Select(r => r.All("Accept")), Is.All.EqualTo(new[] { "application/json" }));
        Assert.That(server.Requests.Select(r => r.Body.Length), Is.All.Zero);
        Assert.That(server.Requests.Select(r => r.All("Content-Length").Count + r.All("Transfer-Encoding").Count), Is.All.Zero, "a GET without a body says nothing of one");
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Sequential_calls_reuse_one_connection(ClientKind kind)
    {
        using var server = Ok();
        using var client = TestClient.Create(kind, Options(server.Url));

        for (var i = 0; i < 5; i++)
        {
            await client.Client.GetResourcesAsync();
        }

        Assert.That(server.Requests, Has.Count.EqualTo(5));
        Assert.That(server.Connections, Is.EqualTo(1));
    }

    internal static LeafClientOptions Options(Uri address) => new()
    {
        BaseAddress = address,
        AccessToken = Stub.Token,
        MaxRetries = 0,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        EnableCircuitBreaker = false,
    };

    private static WireRecorder IPv6LoopbackServer()
    {
        try
        {
            return new WireRecorder(_ => WireRecorder.Json(LeafJson.DocumentedExample), IPAddress.IPv6Loopback);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // A container may run with IPv6 turned off; nothing to reach then.
            Assert.Ignore($"No IPv6 loopback on this machine ({ex.SocketErrorCode}).");
            throw;
        }
    }

    private static WireRecorder Ok() => new(_ => WireRecorder.Json(LeafJson.DocumentedExample));
}
