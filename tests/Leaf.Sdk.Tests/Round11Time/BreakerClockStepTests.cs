using Leaf.Sdk.Resilience;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round11Time;

/// <summary>
/// The circuit breaker times its break by the wall clock, as Polly's does (README, "Retries and time-outs"): a step back
/// while the circuit is open keeps it open for the step as well, and a step forward ends the break early by as much.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BreakerClockStepTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_step_back_while_the_circuit_is_open_keeps_it_open_for_the_step_too([Values] ClientKind kind)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        using var client = OpenCircuit(kind, server, clock);
        await FailUntilOpenAsync(client, server);

        clock.Step(TimeSpan.FromMinutes(-1));
        clock.Advance(LeafResiliencePipelineFactory.BreakerBreakDuration);
        var sent = server.LogEntries.Count;
        var stillOpen = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(stillOpen.Message, Does.Contain("circuit open"), "the break, by the wall clock, has a minute to go");
            Assert.That(server.LogEntries.Count, Is.EqualTo(sent), "nothing was sent");
        });
    }

    [Test]
    public async Task A_step_forward_while_the_circuit_is_open_ends_the_break_early([Values] ClientKind kind)
    {
        var clock = new SteppingClock(Start);
        using var server = Stub.Start();
        using var client = OpenCircuit(kind, server, clock);
        await FailUntilOpenAsync(client, server);

        clock.Step(LeafResiliencePipelineFactory.BreakerBreakDuration);
        server.Reset();
        server.Resources(LeafJson.DocumentedExample);
        var response = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(1), "no time passed, but the wall clock says the break is over");
            Assert.That(server.LogEntries.Count, Is.EqualTo(1));
        });
    }

    private static TestClient OpenCircuit(ClientKind kind, WireMock.Server.WireMockServer server, TimeProvider clock)
    {
        var options = Stub.Options(server);
        options.EnableCircuitBreaker = true;
        return TestClient.Create(kind, options, clock);
    }

    private static async Task FailUntilOpenAsync(TestClient client, WireMock.Server.WireMockServer server)
    {
        server.Resources("""{"title":"Service Unavailable"}""", status: 503);
        for (var i = 0; i < LeafResiliencePipelineFactory.BreakerMinimumThroughput; i++)
        {
            await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());
        }

        var open = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());
        Assert.That(open.Message, Does.Contain("circuit open"), "the circuit opened");
    }
}
