using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round8Requests;

/// <summary>The headers each request carries: the SDK's own, the token exactly once, and the user's.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class RequestHeaderTests
{
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task The_SDK_names_itself_and_its_version_in_the_User_Agent(ClientKind kind)
    {
        using var server = new WireRecorder(_ => WireRecorder.Json(LeafJson.DocumentedExample));
        using var client = TestClient.Create(kind, RequestLineTests.Options(server.Url));

        await client.Client.GetResourcesAsync();

        var version = typeof(IntegrationsClient).Assembly.GetName().Version!.ToString(3);
        Assert.That(server.Requests.Single().All("User-Agent"), Is.EqualTo(new[] { "Leaf.Sdk/" + version }));
    }

    [Test]
    public async Task Headers_and_handlers_the_user_adds_on_the_DI_builder_go_with_every_attempt()
    {
        var n = 0;
        using var server = new WireRecorder(_ => Interlocked.Increment(ref n) == 1
            ? WireRecorder.Json("{}", 503, "Service Unavailable")
            : WireRecorder.Json(LeafJson.DocumentedExample));
        var options = RequestLineTests.Options(server.Url);
        options.MaxRetries = 1;
        var seenByHandler = new List<string?>();
        using var client = TestClient.Create(ClientKind.DependencyInjection, options, client: builder => builder
            .ConfigureHttpClient(c =>
            {
                c.DefaultRequestHeaders.UserAgent.ParseAdd("FarmApp/3.1");
                c.DefaultRequestHeaders.Add("X-Gateway-Key", "gw-key");
            })
            .AddHttpMessageHandler(() => new Tagging(seenByHandler)));

        await client.Client.GetResourcesAsync();

        Assert.That(server.Requests, Has.Count.EqualTo(2));
        foreach (var request in server.Requests)
        {
            Assert.That(request.One("User-Agent"), Does.StartWith("FarmApp/3.1 Leaf.Sdk/"), "the app's product first, then the SDK's");
            Assert.That(request.All("X-Gateway-Key"), Is.EqualTo(new[] { "gw-key" }));
            Assert.That(request.All("X-Tag"), Is.EqualTo(new[] { "tagged" }), "the user's handler ran once per attempt");
            Assert.That(request.All("Authorization"), Is.EqualTo(new[] { "Bearer " + Stub.Token }));
        }

        Assert.That(seenByHandler, Is.EqualTo(new[] { "Bearer " + Stub.Token, "Bearer " + Stub.Token }), "a handler of the user's sits under the token handler and sees the token");
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_renewal_after_401_sends_the_new_token_once_and_the_login_no_token_at_all(ClientKind kind)
    {
        var first = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2), "first");
        var second = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2), "second");
        var logins = 0;
        var gets = 0;
        using var server = new WireRecorder(r => r.Method == "POST"
            ? WireRecorder.Json($$"""{"id_token":"{{(Interlocked.Increment(ref logins) == 1 ? first : second)}}"}""")
            : Interlocked.Increment(ref gets) == 1
                ? WireRecorder.Json(LeafJson.Unauthorized401, 401, "Unauthorized")
                : WireRecorder.Json(LeafJson.DocumentedExample));
        using var client = TestClient.Create(kind, LoginRequestTests.LoginOptions(server, ""));

        await client.Client.GetResourcesAsync();

        Assert.That(server.Requests.Select(r => (r.Method, r.All("Authorization").Count)), Is.EqualTo(new[] { ("POST", 0), ("GET", 1), ("POST", 0), ("GET", 1) }));
        Assert.That(server.Requests.Where(r => r.Method == "GET").Select(r => r.One("Authorization")), Is.EqualTo(new[] { "Bearer " + first, "Bearer " + second }));
    }

    [Test]
    public async Task The_login_goes_without_the_builders_headers_and_with_those_set_on_the_login_client()
    {
        // A gateway that wants a key of its own needs it on the login too: README says to set it on both clients.
        using var server = new WireRecorder(r => r.Method == "POST"
            ? WireRecorder.Json($$"""{"id_token":"{{AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2))}}"}""")
            : WireRecorder.Json(LeafJson.DocumentedExample));
        using var client = TestClient.Create(ClientKind.DependencyInjection, LoginRequestTests.LoginOptions(server, "/leaf"), client: builder =>
        {
            builder.ConfigureHttpClient(c => c.DefaultRequestHeaders.Add("X-Gateway-Key", "calls"));
            builder.Services.AddHttpClient(LeafServiceCollectionExtensions.LoginHttpClientName)
                .ConfigureHttpClient(c => c.DefaultRequestHeaders.Add("X-Gateway-Key", "login"));
        });

        await client.Client.GetResourcesAsync();

        Assert.That(server.Requests.Select(r => (r.Method, r.One("X-Gateway-Key"))), Is.EqualTo(new[] { ("POST", "login"), ("GET", "calls") }));
        Assert.That(server.Requests.Single(r => r.Method == "POST").RequestLine, Is.EqualTo("POST /leaf/api/authenticate HTTP/1.1"));
    }

    private sealed class Tagging(List<string?> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (seen)
            {
                seen.Add(request.Headers.Authorization?.ToString());
            }

            request.Headers.Remove("X-Tag");
            request.Headers.Add("X-Tag", "tagged");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
