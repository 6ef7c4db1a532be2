using Leaf.Sdk.Authentication;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>The login token is cached until shortly before it expires, read from its JWT exp or Leaf's documented lifetime.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class TokenCacheTests
{
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Many_calls_share_one_login(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, server.CreateLoginOptions());

        for (var i = 0; i < 10; i++)
        {
            await client.Client.GetResourcesAsync();
        }

        Assert.That(server.LoginCount, Is.EqualTo(1));
        Assert.That(server.Requests.Count(r => r.Path == FakeLeafServer.ResourcesPath && r.StatusCode == 200), Is.EqualTo(10));
    }

    [TestCase(ClientKind.Standalone, true)]
    [TestCase(ClientKind.Standalone, false)]
    [TestCase(ClientKind.DependencyInjection, true)]
    [TestCase(ClientKind.DependencyInjection, false)]
    public async Task Token_is_renewed_ahead_of_its_jwt_exp(ClientKind kind, bool rememberMe)
    {
        var time = new FakeTimeProvider();
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions
        {
            TimeProvider = time,
            TokenLifetime = TimeSpan.FromHours(20),
            RememberMeTokenLifetime = TimeSpan.FromDays(10),
        });
        var options = server.CreateLoginOptions();
        options.RememberMe = rememberMe;
        using var client = TestClient.Create(kind, options, time);
        var renewAt = (rememberMe ? TimeSpan.FromDays(10) : TimeSpan.FromHours(20)) - LeafLoginTokenSource.RenewalMargin;

        await client.Client.GetResourcesAsync();
        time.Advance(renewAt - TimeSpan.FromSeconds(1));
        await client.Client.GetResourcesAsync();
        var loginsBeforeMargin = server.LoginCount;
        time.Advance(TimeSpan.FromSeconds(2));
        await client.Client.GetResourcesAsync();

        Assert.That(loginsBeforeMargin, Is.EqualTo(1), "the token is still fresh just before the renewal margin");
        Assert.That(server.LoginCount, Is.EqualTo(2), "renewed inside the margin, before exp");
        Assert.That(server.Requests.Select(r => r.StatusCode), Has.None.EqualTo(401), "renewed ahead of expiry, not after a 401");
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_token_already_expired_by_a_skewed_local_clock_is_kept_briefly_instead_of_logging_in_per_call(ClientKind kind)
    {
        // The fake server's clock says the token lives an hour; the client's clock runs two hours ahead of it.
        var serverTime = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var clientTime = new FakeTimeProvider(serverTime.GetUtcNow().AddHours(2));
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = serverTime, TokenLifetime = TimeSpan.FromHours(1) });
        var options = server.CreateLoginOptions();
        options.RememberMe = false;
        using var client = TestClient.Create(kind, options, clientTime);

        for (var i = 0; i < 5; i++)
        {
            await client.Client.GetResourcesAsync();
        }

        var loginsWithinTheMinute = server.LoginCount;
        clientTime.Advance(LeafLoginTokenSource.SkewedTokenLifetime + TimeSpan.FromSeconds(1));
        await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(loginsWithinTheMinute, Is.EqualTo(1), "one login serves calls while the skewed token is kept");
            Assert.That(server.LoginCount, Is.EqualTo(2), "kept briefly, then logged in again");
        });
    }

    [Test]
    public async Task Fake_server_tokens_carry_a_readable_exp_whatever_the_username()
    {
        var time = new FakeTimeProvider();
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions
        {
            TimeProvider = time,
            Username = "o\"brien\\farm@leaf.example",
            RememberMeTokenLifetime = TimeSpan.FromHours(1),
        });
        using var client = TestClient.Create(ClientKind.Standalone, server.CreateLoginOptions(), time);

        await client.Client.GetResourcesAsync();
        time.Advance(TimeSpan.FromHours(1) - LeafLoginTokenSource.RenewalMargin + TimeSpan.FromSeconds(1));
        await client.Client.GetResourcesAsync();

        Assert.That(JwtExpiry.Read(server.IssueToken(TimeSpan.FromHours(2))), Is.EqualTo(time.GetUtcNow() + TimeSpan.FromHours(2)));
        Assert.That(server.LoginCount, Is.EqualTo(2), "renewed ahead of the 1 h exp, not after 30 days");
        Assert.That(server.Requests.Select(r => r.StatusCode), Has.None.EqualTo(401));
    }

    [TestCase(ClientKind.Standalone, false, 24)]
    [TestCase(ClientKind.Standalone, true, 30 * 24)]
    [TestCase(ClientKind.DependencyInjection, false, 24)]
    [TestCase(ClientKind.DependencyInjection, true, 30 * 24)]
    public async Task Without_a_readable_exp_Leafs_documented_lifetime_applies(ClientKind kind, bool rememberMe, int hours)
    {
        var time = new FakeTimeProvider();
        using var server = Stub.Start();
        server.LoginIssues("opaque-token-without-exp");
        server.Resources(LeafJson.DocumentedExample);
        var options = AuthStub.LoginOptions(server);
        options.RememberMe = rememberMe;
        using var client = TestClient.Create(kind, options, time);
        var renewAt = TimeSpan.FromHours(hours) - LeafLoginTokenSource.RenewalMargin;

        await client.Client.GetResourcesAsync();
        time.Advance(renewAt - TimeSpan.FromSeconds(1));
        await client.Client.GetResourcesAsync();
        var loginsBeforeMargin = server.LoginRequests();
        time.Advance(TimeSpan.FromSeconds(2));
        await client.Client.GetResourcesAsync();

        Assert.That(loginsBeforeMargin, Is.EqualTo(1));
        Assert.That(server.LoginRequests(), Is.EqualTo(2));
        Assert.That(server.ResourceAuthorizations(), Is.All.EqualTo("Bearer opaque-token-without-exp"));
    }

    [Test]
    public void Jwt_exp_is_read_from_the_payload()
    {
        var exp = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);

        Assert.That(JwtExpiry.Read(AuthStub.Jwt(exp)), Is.EqualTo(exp));
        Assert.That(JwtExpiry.Read("opaque"), Is.Null);
        Assert.That(JwtExpiry.Read("a.%%%.c"), Is.Null);
        Assert.That(JwtExpiry.Read("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig"), Is.Null, "a payload without exp");
    }

    [TestCase("""{"exp":1700000000.75}""", 1700000000L)]
    [TestCase("""{"sub":"x","exp":1700000000,"iat":1}""", 1700000000L)]
    [TestCase("""{"exp":"1700000000"}""", null)]
    [TestCase("""{"exp":-5}""", null)]
    public void Jwt_exp_follows_RFC_7519_NumericDate(string payload, long? expected)
    {
        var token = "eyJhbGciOiJub25lIn0." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload)) + ".sig";

        Assert.That(JwtExpiry.Read(token), Is.EqualTo(expected is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : (DateTimeOffset?)null));
    }
}
