using System.Net;
using Leaf.Sdk.Resilience;
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

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_open_circuit_closes_after_its_break_even_when_the_clock_steps_back_meanwhile(ClientKind kind)
    {
        var clock = new JumpingClock(Start);
        using var server = Stub.Start();
        server.Resources("{}", status: 503);
        var options = Stub.Options(server);
        options.EnableCircuitBreaker = true;
        using var client = TestClient.Create(kind, options, clock);
        for (var i = 0; i < LeafResiliencePipelineFactory.BreakerMinimumThroughput; i++)
        {
            Assert.That(() => client.Client.GetResourcesAsync(), Throws.InstanceOf<LeafApiException>().With.Property("StatusCode").EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        var open = await CatchOrNull(client.Client.GetResourcesAsync());
        server.ResetMappings();
        server.Resources(LeafJson.DocumentedExample);
        clock.Jump(TimeSpan.FromHours(-1));
        clock.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration + TimeSpan.FromSeconds(1));
        var after = await CatchOrNull(client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(open?.Message, Does.Contain("circuit open"));
            Assert.That(after?.Message, Is.Null, "the circuit should close after its 15 s break, whatever the wall clock did");
        });
    }

    private static async Task<LeafApiException?> CatchOrNull(Task<SyncSummaryResponse> call)
    {
        try
        {
            await call;
            return null;
        }
        catch (LeafApiException ex)
        {
            return ex;
        }
    }
}
