using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>The machine's wall clock stepping backward or forward under a running client.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ClockJumpTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_clock_stepped_forward_past_the_exp_renews_before_sending(ClientKind kind)
    {
        var clock = new JumpingClock(Start);
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(Start.AddHours(1)));
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server), clock);
        await client.Client.GetResourcesAsync();

        clock.Jump(TimeSpan.FromHours(2));
        await client.Client.GetResourcesAsync();

        Assert.That(server.LoginRequests(), Is.EqualTo(2));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_clock_stepped_backward_keeps_the_token_and_a_401_still_renews_it_once(ClientKind kind)
    {
        var clock = new JumpingClock(Start);
        using var server = Stub.Start();
        var first = AuthStub.Jwt(Start.AddHours(1), "first");
        server.LoginIssues(first);
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server), clock);
        await client.Client.GetResourcesAsync();

        // Three hours back: by this clock the token has four hours left, while Leaf (right) expires it in one.
        clock.Jump(TimeSpan.FromHours(-3));
        await client.Client.GetResourcesAsync();
        var loginsAfterJump = server.LoginRequests();

        var second = AuthStub.Jwt(Start.AddHours(5), "second");
        server.ResetMappings();
        server.LoginIssues(second);
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(Stub.ResourcesPath).WithHeader("Authorization", "Bearer " + first))
            .AtPriority(-1)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(401));
        server.Resources(LeafJson.DocumentedExample);
        var response = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(loginsAfterJump, Is.EqualTo(1), "a clock stepped back does not make the token look expired");
            Assert.That(response.Summaries, Is.Not.Empty, "Leaf's 401 for the token it expired is cured by one renewal");
            Assert.That(server.LoginRequests(), Is.EqualTo(2));
        });
    }
}
