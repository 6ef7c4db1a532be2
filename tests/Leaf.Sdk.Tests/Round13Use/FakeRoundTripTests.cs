using Leaf.Sdk.Testing;

namespace Leaf.Sdk.Tests.Round13Use;

/// <summary>
/// A user's test seeds the fake, calls it through the SDK and compares the answer with what the fake says it serves:
/// <see cref="FakeLeafServer.Summaries"/> is what the client reads back, also for a summary seeded with the enum only.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeRoundTripTests
{
    private static readonly DateTimeOffset SyncedAt = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_summary_seeded_without_a_name_reads_back_as_the_server_lists_it()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        var user = Guid.NewGuid();
        server.Seed([new SyncSummary { Provider = Provider.JohnDeere, LeafUserId = user, Growers = 1, Farms = 2, Fields = 3, SyncReferenceTime = SyncedAt }]);
        server.Add(new SyncSummary { Provider = Provider.Stara, LeafUserId = user, Fields = 4, SyncReferenceTime = SyncedAt });
        using var client = new IntegrationsClient(server.CreateClientOptions());

        var response = await client.GetResourcesAsync(leafUserId: user);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.EqualTo(server.Summaries), "the fake lists what it serves");
            Assert.That(server.Summaries.Select(s => s.ProviderName), Is.EqualTo(new[] { "JohnDeere", "Stara" }));
        });
    }

    [Test]
    public async Task A_name_seeded_in_another_case_is_kept_as_seeded()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        var user = Guid.NewGuid();
        server.Seed([new SyncSummary { Provider = Provider.CNHI, ProviderName = "CNHi", LeafUserId = user, Fields = 3 }]);
        using var client = new IntegrationsClient(server.CreateClientOptions());

        var response = await client.GetResourcesAsync(Provider.CNHI, user);

        Assert.That(response.Summaries, Is.EqualTo(server.Summaries));
    }
}
