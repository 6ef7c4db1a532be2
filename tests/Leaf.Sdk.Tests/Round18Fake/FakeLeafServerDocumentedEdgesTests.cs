using System.Net;
using System.Text;
using System.Text.Json;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round18Fake;

/// <summary>
/// What <see cref="FakeLeafServer"/>'s XML docs promise at the edges that no test pinned: mutants applied by hand to
/// <c>FakeLeafServer.cs</c> (round 18) that changed these and survived every test.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafServerDocumentedEdgesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly HttpClient Http = new();

    private static async Task<HttpStatusCode> GetStatusAsync(FakeLeafServer server, string token)
    {
        using var response = await GetAsync(server, "Bearer " + token);
        return response.StatusCode;
    }

    // A GET of the Sync Summary path with the Authorization header spelt exactly as given, or none.
    private static async Task<HttpResponseMessage> GetAsync(FakeLeafServer server, string? authorization, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, FakeLeafServer.ResourcesPath + query));
        if (authorization is not null)
        {
            Assert.That(request.Headers.TryAddWithoutValidation("Authorization", authorization), Is.True);
        }

        return await Http.SendAsync(request);
    }

    [Test]
    public async Task The_access_token_is_long_lived_a_year_on_the_server_clock_it_is_still_accepted()
    {
        // Mutant F1: AccessToken issued for a day instead of ten years; a test that moves the fake clock by weeks (a
        // token cache, a stale-sync check) then got 401s from a client configured with the fixed token.
        var clock = new FakeTimeProvider(Start);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false, TimeProvider = clock });

        clock.Advance(TimeSpan.FromDays(365));

        Assert.That(await GetStatusAsync(server, server.AccessToken), Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Latency_takes_the_longest_wait_the_docs_name()
    {
        // Mutant F3: '> MaxLatency' -> '>= MaxLatency'. The docs refuse only what is longer than 4,294,967,294 ms.
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        var longest = TimeSpan.FromMilliseconds(4_294_967_294L);

        server.Latency = longest;

        Assert.That(server.Latency, Is.EqualTo(longest));
    }

    [Test]
    public async Task A_token_issued_with_the_most_negative_lifetime_is_one_that_has_already_expired()
    {
        // Mutant F9: the saturation at DateTimeOffset.MinValue dropped; IssueToken(TimeSpan.MinValue), "negative for a
        // token that has already expired" in the docs, then threw ArgumentOutOfRangeException from DateTimeOffset.
        var clock = new FakeTimeProvider(Start);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false, TimeProvider = clock });

        var token = server.IssueToken(TimeSpan.MinValue);

        Assert.That(await GetStatusAsync(server, token), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_token_is_accepted_until_its_lifetime_has_passed_and_not_at_that_moment()
    {
        // Mutant F11: 'now < expiresAt' -> 'now <= expiresAt'. A JWT is not accepted on or after its exp, and the docs
        // say "accepts until lifetime has passed": a test that moves the clock by exactly the lifetime expects a 401.
        var clock = new FakeTimeProvider(Start);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false, TimeProvider = clock });
        var token = server.IssueToken(TimeSpan.FromMinutes(5));

        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        var justBefore = await GetStatusAsync(server, token);
        clock.Advance(TimeSpan.FromTicks(1));
        var atExpiry = await GetStatusAsync(server, token);

        Assert.That((justBefore, atExpiry), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.Unauthorized)));
    }

    [TestCase(100, 1)]
    [TestCase(2500, 3)]
    public async Task Retry_after_is_sent_in_whole_seconds_rounded_up(int milliseconds, int seconds)
    {
        // Mutant F28: Math.Ceiling -> Math.Round. 1.5 s (the existing test) rounds to 2 either way; 2.5 s rounds to 2
        // (to even) and 0.1 s to 0, a wait shorter than the one the test asked for.
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        server.RateLimitNext(1, TimeSpan.FromMilliseconds(milliseconds));
        using var limited = await GetAsync(server, "Bearer " + server.AccessToken);

        Assert.Multiple(() =>
        {
            Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
        });
    }

    [Test]
    public async Task A_leaf_user_id_that_is_no_uuid_is_a_bad_request_as_Leaf_answers_it()
    {
        // Mutant F20: the parse check dropped; an id that is no UUID matched no summary and came back as 200 with an
        // empty list, which code under test could not tell from a user with no connections.
        using var server = FakeLeafServer.Start();
        using var response = await GetAsync(server, "Bearer " + server.AccessToken, "?leafUserId=not-a-uuid");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body, Does.Contain("not-a-uuid"));
            Assert.That(server.Requests.Single().StatusCode, Is.EqualTo(400));
        });
    }

    [Test]
    public async Task The_bearer_scheme_is_read_in_any_case_as_HTTP_reads_it()
    {
        // Mutant F26: "Bearer " matched case-sensitively. HTTP auth schemes compare ignoring case (RFC 9110, 11.1): a
        // "bearer" token was a 401, and the journal said no bearer token was sent, so a test that checks code under test
        // keeps tokens off the login would have passed while it sent one.
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        using var response = await GetAsync(server, "bearer " + server.AccessToken);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(server.Requests.Single().HadBearerToken, Is.True);
        });
    }

    [Test]
    public async Task More_than_one_space_after_the_bearer_scheme_is_read_as_HTTP_allows()
    {
        // Mutant F27: the token not trimmed after "Bearer ". HTTP allows one or more spaces between the scheme and the
        // token (RFC 9110, 11.4); the fake then looked up " <token>" and answered 401.
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        using var response = await GetAsync(server, "Bearer   " + server.AccessToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_request_without_a_token_is_a_401_as_Leaf_answers_it()
    {
        // Mutant F34: the null check before the token look-up dropped; a request with no Authorization header (code
        // under test that forgot the token) was a 500, which the SDK retries as Leaf's own outage, not Leaf's 401.
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        using var response = await GetAsync(server, authorization: null);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(server.Requests.Single(), Is.EqualTo(new FakeLeafRequest("GET", FakeLeafServer.ResourcesPath, new Dictionary<string, string>(), false, 401)));
        });
    }

    [Test]
    public async Task A_login_without_remember_me_gets_a_token_of_24_hours_by_default()
    {
        // Mutant O1: TokenLifetime's default changed from Leaf's 24 hours; no test read a default login's exp (the SDK
        // logs in with rememberMe, which gets the 30 days).
        var clock = new FakeTimeProvider(Start);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false, TimeProvider = clock });
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = server.Username, ["password"] = server.Password, ["rememberMe"] = "false" });

        using var response = await Http.PostAsync(new Uri(server.BaseAddress, FakeLeafServer.LoginPath), new StringContent(body, Encoding.UTF8, "application/json"));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = answer.RootElement.GetProperty("id_token").GetString()!;
        using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]));

        Assert.That(claims.RootElement.GetProperty("exp").GetInt64(), Is.EqualTo(Start.AddHours(24).ToUnixTimeSeconds()));
    }
}
