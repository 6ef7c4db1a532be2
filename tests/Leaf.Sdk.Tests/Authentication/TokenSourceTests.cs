using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>The three ways to authenticate, and the token read afresh on every attempt.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class TokenSourceTests
{
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Static_token_is_sent_as_bearer(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        await client.Client.GetResourcesAsync();

        Assert.That(server.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer " + Stub.Token }));
        Assert.That(server.LoginRequests(), Is.Zero);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Credentials_log_in_and_send_the_issued_token(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, server.CreateLoginOptions());

        var response = await client.Client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);

        Assert.That(response.Summaries, Is.Not.Empty);
        Assert.That(server.LoginCount, Is.EqualTo(1));
        Assert.That(server.Requests.Select(r => (r.Path, r.HadBearerToken, r.StatusCode)), Is.EqualTo(new[]
        {
            (FakeLeafServer.LoginPath, false, 200),
            (FakeLeafServer.ResourcesPath, true, 200),
        }));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Custom_source_in_options_is_used_and_never_logs_in(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        var source = new RotatingTokenSource(server.IssueToken(TimeSpan.FromHours(1)));
        var options = server.CreateClientOptions();
        options.AccessToken = null;
        options.TokenSource = source;
        using var client = TestClient.Create(kind, options);

        await client.Client.GetResourcesAsync();

        Assert.That(source.Calls, Is.EqualTo(1));
        Assert.That(server.LoginCount, Is.Zero);
        Assert.That(server.Requests.Single().StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Custom_source_registered_in_DI_is_used()
    {
        using var server = FakeLeafServer.Start();
        var source = new RotatingTokenSource(server.IssueToken(TimeSpan.FromHours(1)));
        var options = server.CreateClientOptions();
        options.AccessToken = null;
        using var client = TestClient.Create(ClientKind.DependencyInjection, options, services: s => s.AddSingleton<ILeafTokenSource>(source));

        await client.Client.GetResourcesAsync();

        Assert.That(source.Calls, Is.EqualTo(1));
        Assert.That(server.LoginCount, Is.Zero);
        Assert.That(server.Requests.Single().StatusCode, Is.EqualTo(200));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_rotated_token_is_picked_up_by_the_same_client(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var source = new RotatingTokenSource("vault-token-1");
        var options = Stub.Options(server);
        options.AccessToken = null;
        options.TokenSource = source;
        using var client = TestClient.Create(kind, options);

        await client.Client.GetResourcesAsync();
        source.Token = "vault-token-2";
        await client.Client.GetResourcesAsync();

        Assert.That(server.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer vault-token-1", "Bearer vault-token-2" }));
        Assert.That(source.ForcedRenewals, Is.Zero);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task The_token_is_read_again_on_every_retry(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        var first = server.IssueToken(TimeSpan.FromHours(1));
        var source = new RotatingTokenSource(first);
        var options = server.CreateClientOptions();
        options.AccessToken = null;
        options.TokenSource = source;
        options.RetryBaseDelay = TimeSpan.Zero;   // retry at once: the back-off is not what this test is about
        using var client = TestClient.Create(kind, options);
        server.FailNext(2);

        await client.Client.GetResourcesAsync();

        Assert.That(source.Calls, Is.EqualTo(3), "one read per attempt");
        Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 503, 503, 200 }));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Custom_source_is_asked_to_renew_after_a_401(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        var source = new RotatingTokenSource(server.IssueToken(TimeSpan.FromHours(1)));
        source.OnForcedRenewal = () => server.IssueToken(TimeSpan.FromHours(1));
        var options = server.CreateClientOptions();
        options.AccessToken = null;
        options.TokenSource = source;
        using var client = TestClient.Create(kind, options);
        server.RevokeTokens();

        await client.Client.GetResourcesAsync();

        Assert.That(source.ForcedRenewals, Is.EqualTo(1));
        Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 401, 200 }));
    }

    [TestCase(ClientKind.Standalone, "")]
    [TestCase(ClientKind.Standalone, "   ")]
    [TestCase(ClientKind.Standalone, null)]
    [TestCase(ClientKind.DependencyInjection, "")]
    [TestCase(ClientKind.DependencyInjection, " \t\r\n")]
    [TestCase(ClientKind.DependencyInjection, null)]
    public async Task Custom_source_returning_an_empty_token_fails_before_anything_is_sent(ClientKind kind, string? token)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var source = new RotatingTokenSource(token!);
        var options = Stub.Options(server, maxRetries: 3);
        options.AccessToken = null;
        options.TokenSource = source;
        using var client = TestClient.Create(kind, options);

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("The token source returned an empty token; check the ILeafTokenSource you configured."));
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(error.IsTransient, Is.False);
            Assert.That(error.Attempts, Is.Zero, "no attempt reached the transport");
            Assert.That(source.Calls, Is.EqualTo(1), "a source's answer is not retried");
            Assert.That(server.LogEntries, Is.Empty, "no request reached the server");
        });
    }

    [Test]
    public async Task Credentials_bound_from_configuration_log_in()
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)));
        server.Resources(LeafJson.DocumentedExample);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Leaf:BaseAddress"] = server.Url,
            ["Leaf:AccessToken"] = "",
            ["Leaf:Username"] = AuthStub.Username,
            ["Leaf:Password"] = AuthStub.Password,
            ["Leaf:RememberMe"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection(LeafClientOptions.SectionName));
        using var provider = services.BuildServiceProvider(validateScopes: true);

        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        var login = server.LogEntries.Select(e => e.RequestMessage!).Single(r => r.Path == AuthStub.LoginPath);
        Assert.That(login.Body, Does.Contain("\"rememberMe\":\"false\""));
        Assert.That(server.ResourceAuthorizations().Single(), Does.StartWith("Bearer eyJ"));
    }
}
