using System.Net;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.Core;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>A 401 renews the token once and resends once; a second 401 is final.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class RenewalOn401Tests
{
    [TestCase(ClientKind.Standalone, false)]
    [TestCase(ClientKind.Standalone, true)]
    [TestCase(ClientKind.DependencyInjection, false)]
    [TestCase(ClientKind.DependencyInjection, true)]
    public async Task A_401_renews_once_and_succeeds(ClientKind kind, bool expireInsteadOfRevoke)
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, server.CreateLoginOptions());
        await client.Client.GetResourcesAsync();

        if (expireInsteadOfRevoke)
        {
            server.ExpireTokens();
        }
        else
        {
            server.RevokeTokens();
        }

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Is.Not.Empty);
        Assert.That(server.LoginCount, Is.EqualTo(2));
        Assert.That(server.Requests.Select(r => (r.Path, r.StatusCode)), Is.EqualTo(new[]
        {
            (FakeLeafServer.LoginPath, 200),
            (FakeLeafServer.ResourcesPath, 200),
            (FakeLeafServer.ResourcesPath, 401),
            (FakeLeafServer.LoginPath, 200),
            (FakeLeafServer.ResourcesPath, 200),
        }));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_second_401_is_an_authentication_error_after_exactly_two_logins(ClientKind kind)
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)));
        server.Resources(LeafJson.Unauthorized401, 401);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server, maxRetries: 3));

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(error.Message, Does.Contain("Full authentication is required").And.Contain("even after it was renewed"));
        Assert.That(server.LoginRequests(), Is.EqualTo(2));
        Assert.That(server.ResourceRequests(), Is.EqualTo(2));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_static_token_401_fails_after_exactly_one_request(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.Unauthorized401, 401);
        using var client = TestClient.Create(kind, Stub.Options(server, maxRetries: 3));

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(error.Message, Does.Contain("Get a fresh token"));
        Assert.That(server.ResourceRequests(), Is.EqualTo(1));
        Assert.That(server.LoginRequests(), Is.Zero);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_custom_source_gets_one_forced_renewal_then_the_401_is_final(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.Unauthorized401, 401);
        var source = new RotatingTokenSource("vault-token");
        var options = Stub.Options(server, maxRetries: 3);
        options.AccessToken = null;
        options.TokenSource = source;
        using var client = TestClient.Create(kind, options);

        await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.That(source.ForcedRenewals, Is.EqualTo(1));
        Assert.That(server.ResourceRequests(), Is.EqualTo(2));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_retry_after_a_renewal_carries_the_newest_token_from_a_source_that_answers_later(ClientKind kind)
    {
        // 401 → renewal → resend answered 503 → retry. The retry has nothing left to renew, so the token handler takes
        // its short path, and must still wait for a token source that answers asynchronously.
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario("renewed").WillSetStateTo("resent")
            .RespondWith(Response.Create().WithStatusCode(401).WithBody(LeafJson.Unauthorized401));
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario("renewed").WhenStateIs("resent").WillSetStateTo("retried")
            .RespondWith(Response.Create().WithStatusCode(503));
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario("renewed").WhenStateIs("retried")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
        var source = new LateTokenSource();
        var options = Stub.Options(server, maxRetries: 3);
        options.AccessToken = null;
        options.TokenSource = source;
        using var client = TestClient.Create(kind, options);

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
        Assert.That(source.ForcedRenewals, Is.EqualTo(1));
        Assert.That(server.Requests().Select(r => r.Header("Authorization").Single()), Is.EqualTo(new[]
        {
            "Bearer first-token-1234",
            "Bearer renewed-token-5678",
            "Bearer rotated-token-9012",
        }));
    }

    /// <summary>
    /// A token source that never answers at once, as one that asks a vault over the network, and whose token rotates
    /// after the renewal: the retry must wait for it to carry the newest one.
    /// </summary>
    private sealed class LateTokenSource : ILeafTokenSource
    {
        private int _calls;
        private int _forced;

        public int ForcedRenewals => Volatile.Read(ref _forced);

        public async ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (forceRenewal)
            {
                Interlocked.Increment(ref _forced);
            }

            return Interlocked.Increment(ref _calls) switch
            {
                1 => "first-token-1234",
                2 => "renewed-token-5678",
                _ => "rotated-token-9012",
            };
        }
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_renewal_refused_by_the_login_is_an_authentication_error(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .InScenario("password changed").WillSetStateTo("changed")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new Dictionary<string, string> { ["id_token"] = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)) }));
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .InScenario("password changed").WhenStateIs("changed")
            .RespondWith(Response.Create().WithStatusCode(401).WithBody(AuthStub.Problem(401, "Unauthorized", "Bad credentials")));
        server.Resources(LeafJson.Unauthorized401, 401);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server, maxRetries: 3));

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.Message, Does.Contain("refused the login").And.Contain("Bad credentials"));
        Assert.That(server.LoginRequests(), Is.EqualTo(2));
        Assert.That(server.ResourceRequests(), Is.EqualTo(1), "no resend without a fresh token");
    }
}
