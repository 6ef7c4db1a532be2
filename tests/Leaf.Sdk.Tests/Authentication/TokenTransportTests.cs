using System.Net;
using System.Net.Http.Headers;
using Leaf.Sdk.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>The token travels only over https (or to loopback) and only to the configured host.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class TokenTransportTests
{
    private static readonly Uri Leaf = new("https://api.withleaf.io");

    [TestCase("http://api.withleaf.io")]
    [TestCase("http://10.0.0.5:8080")]
    [TestCase("http://localhost.evil.example")]
    [TestCase("http://127.0.0.1.nip.io")]
    public void Plain_http_to_a_non_loopback_host_is_refused(string address)
    {
        var options = new LeafClientOptions { BaseAddress = new Uri(address), AccessToken = "t" };

        var standalone = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options));
        var di = Assert.Throws<OptionsValidationException>(() => TestClient.Create(ClientKind.DependencyInjection, options).Dispose());

        Assert.That(standalone.Message, Does.Contain("BaseAddress").And.Contain("https://"));
        Assert.That(di.Message, Does.Contain("BaseAddress").And.Contain("https://"));
    }

    [TestCase("http://127.0.0.1:5000")]
    [TestCase("http://localhost:5000")]
    [TestCase("http://[::1]:5000")]
    [TestCase("https://api.withleaf.io")]
    public void Https_and_loopback_http_are_accepted(string address)
    {
        var options = new LeafClientOptions { BaseAddress = new Uri(address), AccessToken = "t" };

        Assert.That(() => new IntegrationsClient(options).Dispose(), Throws.Nothing);
    }

    [TestCase("https://api.withleaf.io/services/integrations/api/resources", true)]
    [TestCase("https://API.WITHLEAF.IO/other", true)]
    [TestCase("https://evil.example/services/integrations/api/resources", false)]
    [TestCase("https://api.withleaf.io.evil.example/", false)]
    [TestCase("http://api.withleaf.io/services/integrations/api/resources", false)]
    [TestCase("https://api.withleaf.io:8443/", false)]
    public async Task The_handler_puts_the_token_only_on_requests_to_the_configured_host(string url, bool carriesToken)
    {
        var recorder = new Recorder();
        using var handler = new BearerTokenHandler(new StaticTokenSource("the-token"), Leaf, NullLogger.Instance) { InnerHandler = recorder };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);

        // Whatever a handler of the user's put there, a foreign host never sees a credential.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "stale");
        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.That(recorder.Authorizations.Single(), carriesToken ? Is.EqualTo("Bearer the-token") : Is.Null);
    }

    [Test]
    public async Task A_401_from_another_host_triggers_no_renewal()
    {
        var source = new RotatingTokenSource("the-token");
        var recorder = new Recorder(HttpStatusCode.Unauthorized);
        using var handler = new BearerTokenHandler(source, Leaf, NullLogger.Instance) { InnerHandler = recorder };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://evil.example/");

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(source.Calls, Is.Zero);
        Assert.That(recorder.Authorizations, Has.Count.EqualTo(1));
    }

    [TestCase(ClientKind.Standalone, 302)]
    [TestCase(ClientKind.Standalone, 307)]
    [TestCase(ClientKind.DependencyInjection, 302)]
    [TestCase(ClientKind.DependencyInjection, 307)]
    public async Task A_redirect_to_another_host_is_not_followed(ClientKind kind, int status)
    {
        using var leaf = Stub.Start();
        using var elsewhere = Stub.Start();
        elsewhere.Resources(LeafJson.DocumentedExample);
        leaf.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", elsewhere.Url + Stub.ResourcesPath));
        using var client = TestClient.Create(kind, Stub.Options(leaf, maxRetries: 3));

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That((int?)error.StatusCode, Is.EqualTo(status));
        Assert.That(error.Message, Does.Contain("does not follow redirects"));
        Assert.That(leaf.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer " + Stub.Token }));
        Assert.That(elsewhere.LogEntries, Is.Empty, "the second host received nothing, token or otherwise");
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_login_redirect_does_not_carry_the_password_elsewhere(ClientKind kind)
    {
        using var leaf = Stub.Start();
        using var elsewhere = Stub.Start();
        elsewhere.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)));
        leaf.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(307).WithHeader("Location", elsewhere.Url + AuthStub.LoginPath));
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(leaf, maxRetries: 3));

        await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That(leaf.LoginRequests(), Is.EqualTo(1));
        Assert.That(elsewhere.LogEntries, Is.Empty);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_token_read_from_a_file_with_a_trailing_line_break_is_trimmed(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var options = Stub.Options(server);
        options.AccessToken = " " + Stub.Token + "\r\n";
        using var client = TestClient.Create(kind, options);

        await client.Client.GetResourcesAsync();

        Assert.That(server.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer " + Stub.Token }));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_token_with_an_inner_line_break_is_an_authentication_error_that_does_not_show_it(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var options = Stub.Options(server);
        options.AccessToken = "first-half\r\nX-Injected: second-half";
        using var client = TestClient.Create(kind, options);

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.Message, Does.Contain("line break"));
        Assert.That(error.ToString(), Does.Not.Contain("first-half").And.Not.Contain("second-half"));
        Assert.That(server.LogEntries, Is.Empty, "nothing was sent with a header that could split");
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_blank_access_token_next_to_credentials_means_log_in(ClientKind kind)
    {
        // Configuration often carries an empty or blank Leaf:AccessToken next to the credentials.
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)));
        server.Resources(LeafJson.DocumentedExample);
        var options = AuthStub.LoginOptions(server);
        options.AccessToken = "   ";
        using var client = TestClient.Create(kind, options);

        await client.Client.GetResourcesAsync();

        Assert.That(server.LoginRequests(), Is.EqualTo(1));
    }

    private sealed class Recorder(HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public List<string?> Authorizations { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorizations.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
        }
    }
}
