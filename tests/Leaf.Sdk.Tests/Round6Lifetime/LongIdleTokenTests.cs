using Leaf.Sdk.Authentication;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>A credentials login over a long-running app's lifetime: hours of idling, clock jumps, a login outage.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class LongIdleTokenTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    // Azure.Core's token cache does the same: a renewal that fails while the cached token has not expired yet keeps
    // the calls going on the cached token. Before, the early renewal failing failed the call outright.
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_login_outage_inside_the_renewal_margin_keeps_using_the_token_that_has_not_expired(ClientKind kind)
    {
        var time = new FakeTimeProvider(Start);
        using var server = Stub.Start();
        var token = AuthStub.Jwt(Start.AddHours(1), "first");
        using var client = await LoggedInAsync(kind, server, token, time);

        LoginAnswers(server, 503);
        time.Advance(TimeSpan.FromMinutes(57));
        var response = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Empty);
            Assert.That(server.LoginRequests(), Is.EqualTo(2), "the early renewal was tried");
            Assert.That(server.ResourceAuthorizations(), Is.All.EqualTo("Bearer " + token));
        });
    }

    // Azure.Core's bearer-token policy waits 30 s likewise before it tries a failed background refresh again.
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_failed_early_renewal_is_tried_again_after_a_pause_not_by_every_call_of_the_outage(ClientKind kind)
    {
        var time = new FakeTimeProvider(Start);
        using var server = Stub.Start();
        var token = AuthStub.Jwt(Start.AddHours(1), "first");
        using var client = await LoggedInAsync(kind, server, token, time);

        LoginAnswers(server, 503);
        time.Advance(TimeSpan.FromMinutes(57));
        for (var call = 0; call < 5; call++)
        {
            await client.Client.GetResourcesAsync();
            time.Advance(TimeSpan.FromSeconds(5));
        }

        var loginsInThePause = server.LoginRequests();
        time.Advance(LeafLoginTokenSource.RenewalRetryDelay);
        await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(loginsInThePause, Is.EqualTo(2), "the first login and one early renewal in 25 s of calls");
            Assert.That(server.LoginRequests(), Is.EqualTo(3), "tried again once the pause was over");
            Assert.That(server.ResourceAuthorizations(), Is.All.EqualTo("Bearer " + token));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_login_outage_after_the_token_expired_fails_the_call_and_says_why(ClientKind kind)
    {
        var time = new FakeTimeProvider(Start);
        using var server = Stub.Start();
        using var client = await LoggedInAsync(kind, server, AuthStub.Jwt(Start.AddHours(1)), time);

        LoginAnswers(server, 503);
        time.Advance(TimeSpan.FromHours(1));
        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
            Assert.That(error.Message, Does.Contain("login"));
            Assert.That(server.ResourceRequests(), Is.EqualTo(1), "an expired token is not sent");
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Idle_for_days_past_the_exp_the_next_call_logs_in_once_and_never_sends_the_expired_token(ClientKind kind)
    {
        var time = new FakeTimeProvider(Start);
        using var server = Stub.Start();
        var first = AuthStub.Jwt(Start.AddHours(1), "first");
        using var client = await LoggedInAsync(kind, server, first, time);

        var second = AuthStub.Jwt(Start.AddDays(3).AddHours(1), "second");
        server.ResetMappings();
        server.LoginIssues(second);
        server.Resources(LeafJson.DocumentedExample);
        time.Advance(TimeSpan.FromDays(3));
        await client.Client.GetResourcesAsync();
        await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(server.LoginRequests(), Is.EqualTo(2));
            Assert.That(server.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer " + first, "Bearer " + second, "Bearer " + second }));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_login_that_fails_for_hours_then_recovers_leaves_nothing_poisoned(ClientKind kind)
    {
        var time = new FakeTimeProvider(Start);
        using var server = Stub.Start();
        server.Login(503, "{}");
        server.Resources(LeafJson.DocumentedExample);
        var options = AuthStub.LoginOptions(server);
        options.EnableCircuitBreaker = true;
        using var client = TestClient.Create(kind, options, time);

        for (var hour = 0; hour < 48; hour++)
        {
            Assert.That(() => client.Client.GetResourcesAsync(), Throws.InstanceOf<LeafApiException>());
            time.Advance(TimeSpan.FromHours(1));
        }

        var token = AuthStub.Jwt(time.GetUtcNow().AddDays(30), "recovered");
        server.ResetMappings();
        server.LoginIssues(token);
        server.Resources(LeafJson.DocumentedExample);
        var response = await client.Client.GetResourcesAsync();
        await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Empty);
            Assert.That(server.LoginRequests(), Is.EqualTo(49), "one login per failed call, then one that worked and is cached");
            Assert.That(server.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer " + token, "Bearer " + token }));
        });
    }

    // A client logged in with the given token, its first call made.
    private static async Task<TestClient> LoggedInAsync(ClientKind kind, WireMockServer server, string token, FakeTimeProvider time)
    {
        server.LoginIssues(token);
        server.Resources(LeafJson.DocumentedExample);
        var client = TestClient.Create(kind, AuthStub.LoginOptions(server), time);
        await client.Client.GetResourcesAsync();
        return client;
    }

    private static void LoginAnswers(WireMockServer server, int status) =>
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost()).AtPriority(-1)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody("{}"));
}
