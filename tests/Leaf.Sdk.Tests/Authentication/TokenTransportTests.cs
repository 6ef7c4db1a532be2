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
    public void A_configured_token_with_an_inner_line_break_is_refused_at_start_without_showing_it(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var options = Stub.Options(server);
        options.AccessToken = "first-half\r\nX-Injected: second-half";

        Exception error = kind == ClientKind.Standalone
            ? Assert.Throws<ArgumentException>(() => TestClient.Create(kind, options).Dispose())!
            : Assert.Throws<OptionsValidationException>(() => TestClient.Create(kind, options).Dispose())!;

        Assert.That(error.Message, Does.Contain("Leaf:AccessToken").And.Contain("a line break (U+000D) at index 10"));
        Assert.That(error.ToString(), Does.Not.Contain("first-half").And.Not.Contain("second-half"));
        Assert.That(server.LogEntries, Is.Empty, "nothing was sent with a header that could split");
    }

    // Tokens as they arrive from a vault, a file or a copy and paste: each with one character that cannot travel in a
    // header, where it is, and how the message names it.
    private static IEnumerable<TestCaseData> UnsendableTokens()
    {
        static TestCaseData Case(string name, string token, string says) => new TestCaseData(token, says).SetArgDisplayNames(name);

        yield return Case("a non-ASCII letter", "tökén-Zq8Xw3Lp9Vb", "a non-ASCII character (U+00F6) at index 1");
        yield return Case("a byte-order mark", "\uFEFFZq8Xw3Lp9Vb-K7q", "a byte-order mark (U+FEFF) at index 0");
        yield return Case("a zero-width space", "Zq8Xw\u200B3Lp9Vb-K7q", "a zero-width character (U+200B) at index 5");
        yield return Case("smart quotes", "\u201CZq8Xw3Lp9Vb-K7q\u201D", "a non-ASCII character (U+201C) at index 0");
        yield return Case("an emoji", "Zq8Xw3Lp\U0001F600Vb-K7q", "a non-ASCII character (U+1F600) at index 8");
        yield return Case("a control character", "Zq8Xw3L\u0007p9Vb-K7q", "a control character (U+0007) at index 7");
        yield return Case("an inner space", "Zq8Xw3L p9Vb-K7q", "a space (U+0020) at index 7");
    }

    [TestCaseSource(nameof(UnsendableTokens))]
    public async Task A_static_token_with_a_character_a_bearer_token_cannot_contain_is_refused_before_sending(string token, string says)
    {
        var recorder = new Recorder();
        using var handler = new BearerTokenHandler(new StaticTokenSource(token), Leaf, NullLogger.Instance) { InnerHandler = recorder };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, Leaf + "services/integrations/api/resources");

        var error = await Expect.Throws<LeafAuthenticationException>(() => invoker.SendAsync(request, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Authorizations, Is.Empty, "nothing was sent");
            Assert.That(error.Message, Does.Contain("a character a bearer token cannot contain: " + says));
            Assert.That(SecretPieces.FoundIn(error.ToString(), token), Is.Empty, "no part of the token is shown");
        });
    }

    [TestCaseSource(nameof(UnsendableTokens))]
    public async Task A_token_source_token_with_a_character_a_bearer_token_cannot_contain_fails_at_once_and_is_not_retried_standalone(string token, string says) =>
        await A_token_source_token_that_cannot_be_sent_fails_at_once(ClientKind.Standalone, token, says);

    [TestCaseSource(nameof(UnsendableTokens))]
    public async Task A_token_source_token_with_a_character_a_bearer_token_cannot_contain_fails_at_once_and_is_not_retried_with_DI(string token, string says) =>
        await A_token_source_token_that_cannot_be_sent_fails_at_once(ClientKind.DependencyInjection, token, says);

    // Before, SocketsHttpHandler refused the header as the request was written: an HttpRequestException, so the call
    // was retried as a network error, counted by the circuit breaker and reported as "Could not reach Leaf".
    private static async Task A_token_source_token_that_cannot_be_sent_fails_at_once(ClientKind kind, string token, string says)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var source = new RotatingTokenSource(token);
        var options = Stub.Options(server, maxRetries: 3);
        options.AccessToken = null;
        options.EnableCircuitBreaker = true;
        if (kind == ClientKind.Standalone)
        {
            options.TokenSource = source;
        }

        using var client = TestClient.Create(kind, options, services: s => s.AddSingleton<ILeafTokenSource>(source));

        // More calls than the breaker needs to open, had they counted as failures.
        var errors = new List<LeafAuthenticationException>();
        for (var call = 0; call < 3; call++)
        {
            errors.Add(await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync()));
        }

        source.Token = Stub.Token;
        var response = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(server.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer " + Stub.Token }), "only the call with a good token reached the server");
            Assert.That(source.Calls, Is.EqualTo(4), "one read per call: nothing was retried");
            Assert.That(response.Summaries, Has.Count.EqualTo(1), "the circuit breaker did not count the refused calls");
            foreach (var error in errors)
            {
                Assert.That(error.Message, Does.StartWith("The token contains a character a bearer token cannot contain: " + says));
                Assert.That(error.Message, Does.Not.Contain("Could not reach"));
                Assert.That(error.IsTransient, Is.False);
                Assert.That(error.Attempts, Is.Zero);
                Assert.That(SecretPieces.FoundIn(error.ToString(), token), Is.Empty, "no part of the token is shown");
            }
        });
    }

    [TestCase(ClientKind.Standalone, false)]
    [TestCase(ClientKind.Standalone, true)]
    [TestCase(ClientKind.DependencyInjection, false)]
    [TestCase(ClientKind.DependencyInjection, true)]
    public async Task A_token_of_every_visible_ASCII_character_is_sent_as_it_is(ClientKind kind, bool fromTokenSource)
    {
        var token = new string([.. Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(c => (char)c)]);
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var options = Stub.Options(server);
        options.AccessToken = fromTokenSource ? null : token;
        options.TokenSource = fromTokenSource ? new RotatingTokenSource(token) : null;
        using var client = TestClient.Create(kind, options);

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
        Assert.That(server.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer " + token }));
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
