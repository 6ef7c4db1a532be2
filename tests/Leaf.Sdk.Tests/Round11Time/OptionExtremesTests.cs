using System.Net;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round11Time;

/// <summary>
/// The time settings at the ends of what validation accepts, together: a call through them ends in Leaf's answer (or
/// the SDK's LeafApiException), never in an OverflowException or ArgumentOutOfRangeException from Polly, a timer or
/// the back-off's arithmetic.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class OptionExtremesTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly object[] Extremes =
    [
        // The longest everything: ten retries whose doubling back-off from a minute runs to hours, in a day.
        new object[] { TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), 10 },
        // The shortest time-outs, an attempt as long as the call.
        new object[] { TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), TimeSpan.Zero, 10 },
        // A back-off of one tick.
        new object[] { TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromTicks(1), 10 },
        // An attempt as long as the call, both a day, and no retries.
        new object[] { TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), 0 },
    ];

    [TestCaseSource(nameof(Extremes))]
    public async Task The_accepted_extremes_end_in_a_LeafApiException_not_an_arithmetic_one(TimeSpan attempt, TimeSpan total, TimeSpan backoff, int retries)
    {
        foreach (var kind in new[] { ClientKind.Standalone, ClientKind.DependencyInjection })
        {
            var clock = new SteppingClock(Start);
            using var server = Stub.Start();
            server.Resources("""{"title":"Service Unavailable","status":503}""", status: 503);
            var options = Stub.Options(server, retries);
            (options.AttemptTimeout, options.TotalTimeout, options.RetryBaseDelay, options.EnableCircuitBreaker) = (attempt, total, backoff, true);
            using var client = TestClient.Create(kind, options, clock);

            var call = client.Client.GetResourcesAsync();
            await DriveBackOffsAsync(clock, call, attempt, total);
            var ex = await Assert.CatchAsync(async () => await call);

            // Leaf's 503 once retries (or TotalTimeout's budget) ran out; or, with ten quick failures, the circuit opened.
            Assert.That(ex, Is.TypeOf<LeafApiException>(), kind.ToString());
            var leaf = (LeafApiException)ex!;
            Assert.That(leaf.StatusCode is HttpStatusCode.ServiceUnavailable || leaf.Message.Contains("circuit open", StringComparison.Ordinal), Is.True, $"{kind}: {leaf.Message}");
            Assert.That(leaf.IsTransient, Is.True, kind.ToString());
            Assert.That(leaf.Attempts, Is.InRange(1, retries + 1), kind.ToString());
        }
    }

    /// <summary>
    /// Moves the clock past each back-off as it begins (a timer due sooner than either time-out), so only the waits
    /// elapse and no attempt times out; bounded in real time.
    /// </summary>
    private static async Task DriveBackOffsAsync(SteppingClock clock, Task call, TimeSpan attempt, TimeSpan total)
    {
        var handled = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!call.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The call did not end within 30 s of real time.");
            }

            var timers = clock.Timers;
            for (; handled < timers.Count; handled++)
            {
                if (timers[handled] > TimeSpan.Zero && timers[handled] != attempt && timers[handled] != total)
                {
                    clock.Advance(timers[handled]);
                }
            }

            await Task.Delay(2);
        }
    }
}
