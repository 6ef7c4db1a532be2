using System.Text.Json;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Leaf.Sdk.Tests.Round11Time;

/// <summary>
/// The login's cached token while the wall clock steps, with many calls at once: a step forward past the exp is one
/// login for all of them, not one each; a step back keeps the token; a step during the login itself (the new token's
/// exp already past by the stepped clock) is no login per call either.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class TokenClockStepTests
{
    private const int Callers = 20;

    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_step_forward_past_the_exp_is_one_login_for_every_call_waiting([Values] ClientKind kind)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        var issued = IssueOneHourTokens(server, clock);
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server), clock);
        await client.Client.GetResourcesAsync();

        clock.Step(TimeSpan.FromDays(2));
        var responses = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => client.Client.GetResourcesAsync())).WaitAsync(TimeSpan.FromSeconds(30));

        var afterStep = server.ResourceAuthorizations().Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(responses, Has.All.Matches<SyncSummaryResponse>(r => r!.Summaries.Count > 0));
            Assert.That(server.LoginRequests(), Is.EqualTo(2), "one login at start, one after the step: not one per caller");
            Assert.That(afterStep, Has.Count.EqualTo(Callers));
            Assert.That(afterStep, Has.All.EqualTo("Bearer " + issued[1]), "no call sent the token the step had expired");
        });
    }

    [Test]
    public async Task A_step_back_by_days_keeps_the_cached_token_for_every_call([Values] ClientKind kind)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        IssueOneHourTokens(server, clock);
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server), clock);
        await client.Client.GetResourcesAsync();

        clock.Step(TimeSpan.FromDays(-2));
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => client.Client.GetResourcesAsync())).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(server.LoginRequests(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_step_forward_while_the_login_is_answered_is_no_login_per_call([Values] ClientKind kind)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        var logins = 0;
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                // Leaf's clock is right: its token lives an hour. This machine's steps two days ahead meanwhile, so by
                // it the new token expired long ago.
                var token = AuthStub.Jwt(Start.AddHours(1), "t" + Interlocked.Increment(ref logins));
                if (logins == 1)
                {
                    clock.Step(TimeSpan.FromDays(2));
                }

                return Json(200, JsonSerializer.Serialize(new Dictionary<string, string> { ["id_token"] = token }));
            }));
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server), clock);

        var responses = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => client.Client.GetResourcesAsync())).WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(30));
        await client.Client.GetResourcesAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(responses, Has.All.Matches<SyncSummaryResponse>(r => r!.Summaries.Count > 0));
            Assert.That(server.LoginRequests(), Is.EqualTo(1), "the token Leaf still takes is kept a while, not fetched again per call");
            Assert.That(server.ResourceRequests(), Is.EqualTo(Callers + 1));
        });
    }

    /// <summary>Every login issues a new token that expires an hour after <paramref name="clock"/>'s now; returns them in order.</summary>
    private static List<string> IssueOneHourTokens(WireMockServer server, SteppingClock clock)
    {
        var issued = new List<string>();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                string token;
                lock (issued)
                {
                    token = AuthStub.Jwt(clock.GetUtcNow().AddHours(1), "t" + issued.Count);
                    issued.Add(token);
                }

                return Json(200, JsonSerializer.Serialize(new Dictionary<string, string> { ["id_token"] = token }));
            }));
        return issued;
    }

    private static ResponseMessage Json(int status, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
    };
}
