using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round8Requests;

/// <summary>
/// A primary handler of the user's (a proxy, a client certificate: README, "With dependency injection") is a plain
/// HttpClientHandler or SocketsHttpHandler, which follows redirects unless told not to. A redirect from Leaf's address
/// (a misconfigured or hostile gateway) must still take neither the password nor the call to another host.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UserHandlerRedirectTests
{
    public enum HandlerKind
    {
        HttpClientHandler,
        SocketsHttpHandler,
        WrappedSocketsHttpHandler,
        UseSocketsHttpHandler,
    }

    [TestCase(HandlerKind.HttpClientHandler, 307)]
    [TestCase(HandlerKind.SocketsHttpHandler, 308)]
    [TestCase(HandlerKind.WrappedSocketsHttpHandler, 307)]
    [TestCase(HandlerKind.UseSocketsHttpHandler, 307)]
    public async Task A_login_redirect_does_not_carry_the_password_to_another_host_through_the_users_handler(HandlerKind handler, int status)
    {
        using var elsewhere = new WireRecorder(_ => WireRecorder.Json($$"""{"id_token":"{{AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2))}}"}"""));
        using var leaf = new WireRecorder(_ => Redirect(status, elsewhere, "/api/authenticate"));
        using var client = TestClient.Create(ClientKind.DependencyInjection, LoginRequestTests.LoginOptions(leaf, ""), client: b => UseOwnHandlers(b, handler));

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That((int?)error.StatusCode, Is.EqualTo(status));
        Assert.That(error.Message, Does.Contain("does not follow redirects"));
        Assert.That(leaf.Requests.Select(r => r.Method), Is.EqualTo(new[] { "POST" }));
        Assert.That(elsewhere.Requests, Is.Empty, "the other host received nothing, password or otherwise");
    }

    [TestCase(HandlerKind.HttpClientHandler, 302)]
    [TestCase(HandlerKind.SocketsHttpHandler, 301)]
    [TestCase(HandlerKind.WrappedSocketsHttpHandler, 307)]
    [TestCase(HandlerKind.UseSocketsHttpHandler, 308)]
    public async Task A_call_redirected_to_another_host_is_not_answered_from_there(HandlerKind handler, int status)
    {
        using var elsewhere = new WireRecorder(_ => WireRecorder.Json(LeafJson.DocumentedExample));
        using var leaf = new WireRecorder(_ => Redirect(status, elsewhere, Stub.ResourcesPath));
        var options = new LeafClientOptions { BaseAddress = leaf.Url, AccessToken = Stub.Token, MaxRetries = 0, EnableCircuitBreaker = false };
        using var client = TestClient.Create(ClientKind.DependencyInjection, options, client: b => UseOwnHandlers(b, handler));

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        // Before, the call succeeded with whatever the other host said, and the user's own headers went along.
        Assert.That((int?)error.StatusCode, Is.EqualTo(status));
        Assert.That(leaf.Requests.Single().One("Authorization"), Is.EqualTo("Bearer " + Stub.Token));
        Assert.That(elsewhere.Requests, Is.Empty);
    }

    private static void UseOwnHandlers(IHttpClientBuilder builder, HandlerKind kind)
    {
        // As README's proxy snippet does, but with the handler's defaults.
        HttpMessageHandler Create() => kind switch
        {
            HandlerKind.HttpClientHandler => new HttpClientHandler(),
            HandlerKind.SocketsHttpHandler => new SocketsHttpHandler(),
            _ => new PassThrough { InnerHandler = new SocketsHttpHandler() },
        };

        var login = builder.Services.AddHttpClient(LeafServiceCollectionExtensions.LoginHttpClientName);
        if (kind == HandlerKind.UseSocketsHttpHandler)
        {
            // .NET 8's way to configure the SocketsHttpHandler IHttpClientFactory manages.
            builder.UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2));
            login.UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2));
            return;
        }

        builder.ConfigurePrimaryHttpMessageHandler(Create);
        login.ConfigurePrimaryHttpMessageHandler(Create);
    }

    private static string Redirect(int status, WireRecorder to, string path) =>
        $"HTTP/1.1 {status} Redirect\r\nLocation: http://localhost:{to.Port}{path}\r\nContent-Length: 0\r\n\r\n";

    private sealed class PassThrough : DelegatingHandler;
}
