using System.Net;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round6Fake;

/// <summary>Each switch of the fake does what its XML doc says, seen through the standalone and the DI client alike.</summary>
[Parallelizable(ParallelScope.All)]
[TestFixture(ClientKind.Standalone)]
[TestFixture(ClientKind.DependencyInjection)]
public sealed class FakeLeafServerSwitchesTests(ClientKind kind)
{
    private static LeafClientOptions Fast(LeafClientOptions options)
    {
        options.RetryBaseDelay = TimeSpan.Zero;
        options.EnableCircuitBreaker = false;
        return options;
    }

    [Test]
    public async Task Fail_next_fails_that_many_requests_of_any_kind_login_included()
    {
        using var server = FakeLeafServer.Start();
        server.FailNext(2, HttpStatusCode.GatewayTimeout);
        using var client = TestClient.Create(kind, Fast(server.CreateLoginOptions()));

        var response = await client.Client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(4));
            Assert.That(server.Requests.Select(r => (r.Path, r.StatusCode)), Is.EqualTo(new[]
            {
                (FakeLeafServer.LoginPath, 504), (FakeLeafServer.LoginPath, 504), (FakeLeafServer.LoginPath, 200), (FakeLeafServer.ResourcesPath, 200),
            }));
            Assert.That(server.LoginCount, Is.EqualTo(3), "successful or not");
        });
    }

    [Test]
    public async Task Rate_limit_next_answers_429_then_serves()
    {
        using var server = FakeLeafServer.Start();
        server.RateLimitNext(1, TimeSpan.Zero);
        using var client = TestClient.Create(kind, Fast(server.CreateClientOptions()));

        var response = await client.Client.GetResourcesAsync(Provider.JohnDeere);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Select(s => s.Provider), Is.EqualTo(new[] { Provider.JohnDeere, Provider.JohnDeere }), "the Healthy and NeedsAttention users' John Deere");
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 429, 200 }));
        });
    }

    [Test]
    public async Task Revoke_tokens_refuses_the_access_token_from_then_on()
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, Fast(server.CreateClientOptions()));
        await client.Client.GetResourcesAsync();

        server.RevokeTokens();

        await Assert.ThrowsAsync<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());
        Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 401 }), "a fixed token cannot be renewed: one 401, no resend");
    }

    [Test]
    public async Task Revoked_login_tokens_are_renewed_by_a_new_login()
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, Fast(server.CreateLoginOptions()));
        await client.Client.GetResourcesAsync();

        server.RevokeTokens();
        await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(server.LoginCount, Is.EqualTo(2));
            Assert.That(server.Requests.Where(r => r.Path == FakeLeafServer.ResourcesPath).Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 401, 200 }));
        });
    }

    [Test]
    public async Task An_issued_token_is_accepted_and_one_login_serves_many_calls()
    {
        using var server = FakeLeafServer.Start();
        var fixedToken = server.CreateClientOptions();
        fixedToken.AccessToken = server.IssueToken(TimeSpan.FromMinutes(5));
        using var withToken = TestClient.Create(kind, Fast(fixedToken));
        using var withLogin = TestClient.Create(kind, Fast(server.CreateLoginOptions()));

        await withToken.Client.GetResourcesAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => withLogin.Client.GetResourcesAsync()));

        Assert.Multiple(() =>
        {
            Assert.That(server.LoginCount, Is.EqualTo(1));
            Assert.That(server.Requests.Where(r => r.Path == FakeLeafServer.ResourcesPath).Select(r => r.StatusCode).ToList(), Has.Count.EqualTo(9).And.All.EqualTo(200));
            Assert.That(server.Requests.Where(r => r.Path == FakeLeafServer.ResourcesPath), Has.All.Matches<FakeLeafRequest>(r => r is { HadBearerToken: true }));
        });
    }

    [Test]
    public async Task The_journal_records_the_query_each_client_sent()
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, Fast(server.CreateClientOptions()));

        await client.Client.GetResourcesAsync(Provider.CNHIFieldOps, DemoUsers.Healthy);
        await client.Client.GetResourcesAsync(leafUserId: DemoUsers.Stale);
        await client.Client.GetResourcesAsync(Provider.Sentera);

        Assert.That(server.Requests.Select(r => r.Query), Is.EqualTo(new[]
        {
            new Dictionary<string, string> { ["provider"] = "CNHIFieldOps", ["leafUserId"] = DemoUsers.Healthy.ToString() },
            new Dictionary<string, string> { ["leafUserId"] = DemoUsers.Stale.ToString() },
            new Dictionary<string, string> { ["provider"] = "Sentera" },
        }));
    }
}
