using Leaf.Sdk.Testing;

namespace Leaf.Sdk.Tests.Round6Fake;

/// <summary>
/// Summaries Leaf could never send are refused when seeded, with the reason, instead of turning into a 500 that the
/// client retries ("Leaf had a server-side problem") or a body the client cannot read.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafServerSeedTests
{
    private static readonly Guid User = new("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f");

    private static SyncSummary JohnDeere() => new() { Provider = Provider.JohnDeere, ProviderName = "JohnDeere", LeafUserId = User, Growers = 1, Farms = 1, Fields = 1 };

    public static IEnumerable<TestCaseData> Nonsense()
    {
        yield return new TestCaseData(null, "null").SetName("A null summary");
        // A null name reads as empty (Round11Newcomer): on a known provider the API name is sent, on an unknown one it is no name.
        yield return new TestCaseData(JohnDeere() with { Provider = Provider.Unknown, ProviderName = null! }, "ProviderName").SetName("A null provider name on an unknown provider");
        yield return new TestCaseData(JohnDeere() with { Growers = -1 }, "Growers").SetName("A negative grower count");
        yield return new TestCaseData(JohnDeere() with { Farms = -2 }, "Farms").SetName("A negative farm count");
        yield return new TestCaseData(JohnDeere() with { Fields = int.MinValue }, "Fields").SetName("A negative field count");
        yield return new TestCaseData(JohnDeere() with { Provider = Provider.Trimble }, "Trimble").SetName("A provider name of another provider");
        yield return new TestCaseData(JohnDeere() with { Provider = Provider.Unknown }, "JohnDeere").SetName("A known provider name on an unknown provider");
        yield return new TestCaseData(JohnDeere() with { ProviderName = "Panorama" }, "Panorama").SetName("An unknown provider name on a known provider");
        yield return new TestCaseData(JohnDeere() with { Provider = Provider.Unknown, ProviderName = "" }, "ProviderName").SetName("An unknown provider without a name");
        yield return new TestCaseData(JohnDeere() with { Provider = (Provider)42, ProviderName = "" }, "42").SetName("An undefined provider");
    }

    [TestCaseSource(nameof(Nonsense))]
    public void Seed_refuses_a_summary_Leaf_could_not_send(SyncSummary? summary, string named)
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        server.Seed([JohnDeere()]);

        var ex = Assert.Throws<ArgumentException>(() => server.Seed([JohnDeere(), summary!]));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("summaries"));
            Assert.That(ex.Message, Does.Contain("summaries[1]").And.Contain(named));
            Assert.That(server.Summaries, Is.EqualTo(new[] { JohnDeere() }), "nothing was replaced");
        });
    }

    [TestCaseSource(nameof(Nonsense))]
    public void Add_refuses_a_summary_Leaf_could_not_send_and_adds_none(SyncSummary? summary, string named)
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });

        var ex = Assert.Throws<ArgumentException>(() => server.Add(JohnDeere(), summary!));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("summaries"));
            Assert.That(ex.Message, Does.Contain("summaries[1]").And.Contain(named));
            Assert.That(server.Summaries, Is.Empty, "not even the valid summary before it");
        });
    }

    [Test]
    public async Task Every_summary_accepted_comes_back_to_the_client_as_seeded()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        SyncSummary[] seeded =
        [
            JohnDeere(),
            JohnDeere() with { Provider = Provider.CNHI, ProviderName = "CNHi", Growers = null, Fields = 0 },
            JohnDeere() with { Provider = Provider.Unknown, ProviderName = "Panorama" },
            JohnDeere() with { Growers = int.MaxValue, SyncReferenceTime = new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.FromHours(2)) },
        ];
        server.Seed(seeded);
        server.Add(new SyncSummary { Provider = Provider.Stara, LeafUserId = User, Fields = 2 });
        using var client = new IntegrationsClient(server.CreateClientOptions());

        var back = (await client.GetResourcesAsync()).Summaries;

        Assert.That(back, Is.EqualTo(seeded.Append(new SyncSummary { Provider = Provider.Stara, ProviderName = "Stara", LeafUserId = User, Fields = 2 })));
    }

    [Test]
    public void Demo_data_is_accepted()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });

        Assert.DoesNotThrow(() => server.Seed(DemoData.Create(DateTimeOffset.UtcNow)));
        Assert.That(server.Summaries, Has.Count.EqualTo(DemoData.Create(DateTimeOffset.UtcNow).Count));
    }
}
