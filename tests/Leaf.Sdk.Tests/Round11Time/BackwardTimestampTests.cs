using System.Globalization;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace Leaf.Sdk.Tests.Round11Time;

/// <summary>
/// A clock of the user's whose timestamps are read off its wall clock (a hand-written TimeProvider that overrides
/// GetTimestamp with GetUtcNow().Ticks, to keep the two in step) steps back with it. Log event 9's ElapsedMs was then
/// negative; a duration is never less than zero.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BackwardTimestampTests
{
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_attempt_answered_after_the_clock_stepped_back_logs_no_negative_duration(ClientKind kind)
    {
        var time = new WallTimestampClock();
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                time.StepBack(TimeSpan.FromSeconds(3));
                return new ResponseMessage
                {
                    StatusCode = 200,
                    Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
                    BodyData = new BodyData { BodyAsString = LeafJson.DocumentedExample, DetectedBodyType = BodyType.String },
                };
            }));
        using var client = TestClient.Create(kind, Stub.Options(server), time, loggerFactory);

        var response = await client.Client.GetResourcesAsync();

        var answered = logs.Collector.GetSnapshot().Single(r => r.Id.Id == 9 && r.Category == "Leaf.Sdk.Authentication");
        var elapsedMs = double.Parse(answered.StructuredState!.Single(kv => kv.Key == "ElapsedMs").Value!, CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Empty);
            Assert.That(time.Offset, Is.EqualTo(TimeSpan.FromSeconds(-3)), "the clock did step back during the attempt");
            Assert.That(elapsedMs, Is.GreaterThanOrEqualTo(0.0));
        });
    }

    /// <summary>The system clock, with timestamps in ticks of its (steppable) wall time.</summary>
    private sealed class WallTimestampClock : TimeProvider
    {
        private long _offsetTicks;

        public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void StepBack(TimeSpan by) => Interlocked.Add(ref _offsetTicks, -by.Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

        public override long GetTimestamp() => GetUtcNow().UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
