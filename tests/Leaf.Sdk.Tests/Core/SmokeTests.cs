using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Core;

[Parallelizable(ParallelScope.All)]
public sealed class SmokeTests
{
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Fake_server_demo_data_round_trips(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, server.CreateClientOptions());

        var response = await client.Client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);

        Assert.That(response.Summaries.Select(s => s.Provider), Is.EquivalentTo(new[] { Provider.JohnDeere, Provider.ClimateFieldView, Provider.CNHIFieldOps, Provider.Trimble }));
        Assert.That(response.Message, Is.EqualTo("SUCCESS"));
    }

    [Test]
    public async Task Documented_example_parses_exactly()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(ClientKind.Standalone, Stub.Options(server));

        var summary = (await client.Client.GetResourcesAsync()).Summaries.Single();

        Assert.Multiple(() =>
        {
            Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(summary.Growers, Is.EqualTo(12));
            Assert.That(summary.Fields, Is.EqualTo(100));
            Assert.That(summary.SyncReferenceTime, Is.EqualTo(new DateTimeOffset(2023, 8, 30, 18, 39, 33, TimeSpan.Zero).AddTicks(2306120)));
        });
    }
}
