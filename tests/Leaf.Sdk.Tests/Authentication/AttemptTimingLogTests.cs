using System.Globalization;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>Log event 9 times each attempt on the client's <see cref="TimeProvider"/>, so a fake clock decides its ElapsedMs.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class AttemptTimingLogTests
{
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_attempts_elapsed_time_is_read_off_the_clients_clock(ClientKind kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        using var server = Stub.Start();

        // The answer takes 1234.5 ms on the fake clock, and next to nothing on the real one.
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                time.Advance(TimeSpan.FromMilliseconds(1234.5));
                return new ResponseMessage
                {
                    StatusCode = 200,
                    Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
                    BodyData = new BodyData { BodyAsString = LeafJson.DocumentedExample, DetectedBodyType = BodyType.String },
                };
            }));
        using var client = TestClient.Create(kind, Stub.Options(server), time, loggerFactory);

        await client.Client.GetResourcesAsync();

        var answered = logs.Collector.GetSnapshot().Single(r => r.Id.Id == 9 && r.Category == "Leaf.Sdk.Authentication");
        var elapsedMs = double.Parse(answered.StructuredState!.Single(kv => kv.Key == "ElapsedMs").Value!, CultureInfo.InvariantCulture);
        Assert.That(elapsedMs, Is.EqualTo(1234.5));
    }
}
