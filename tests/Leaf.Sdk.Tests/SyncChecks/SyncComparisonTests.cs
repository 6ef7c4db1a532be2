namespace Leaf.Sdk.Tests.SyncChecks;

[Parallelizable(ParallelScope.All)]
public sealed class SyncComparisonTests
{
    private static readonly Guid User = new("11111111-2222-4333-8444-555555555555");
    private static readonly DateTimeOffset Synced = new(2026, 11, 26, 11, 48, 0, TimeSpan.Zero);

    // Guid.Empty is how a summary without a leafUserId reads: it names nobody, as CheckUser says.
    [Test]
    public void Guid_Empty_is_refused_as_CheckUser_refuses_it()
    {
        var response = new SyncSummaryResponse { Summaries = [new SyncSummary { Provider = Provider.Stara, ProviderName = "Stara", Fields = 12 }] };

        var comparison = Assert.Throws<ArgumentException>(() => SyncComparison.Create(response, Guid.Empty));
        var check = Assert.Throws<ArgumentException>(() => Leaf.Sdk.SyncChecks.CheckUser(response, Guid.Empty));

        Assert.That(comparison!.ParamName, Is.EqualTo("leafUserId"));
        Assert.That(comparison.Message, Is.EqualTo(check!.Message));
    }

    // Arguments are checked in their order, so the exception names the first mistake, as .NET's own APIs do.
    [Test]
    public void A_null_response_is_named_before_Guid_Empty()
    {
        Assert.That(() => SyncComparison.Create(null!, Guid.Empty), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("response"));
        Assert.That(() => Leaf.Sdk.SyncChecks.CheckUser(null!, Guid.Empty), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("response"));
    }

    [Test]
    public void Providers_side_by_side_with_na_where_the_level_does_not_exist()
    {
        var response = new SyncSummaryResponse
        {
            Summaries =
            [
                new SyncSummary { Provider = Provider.JohnDeere, ProviderName = "JohnDeere", LeafUserId = User, Farms = 3, Fields = 40, SyncReferenceTime = Synced },
                new SyncSummary { Provider = Provider.ClimateFieldView, ProviderName = "ClimateFieldView", LeafUserId = User, Farms = 4, Fields = 86, SyncReferenceTime = Synced },
                new SyncSummary { Provider = Provider.Stara, ProviderName = "Stara", LeafUserId = User, Fields = 12 },
                new SyncSummary { Provider = Provider.Trimble, ProviderName = "Trimble", LeafUserId = Guid.NewGuid(), Growers = 1, Farms = 1, Fields = 1 },
            ],
        };

        var comparison = SyncComparison.Create(response, User);

        Assert.That(comparison.Summaries.Select(SyncComparison.ColumnName), Is.EqualTo(new[] { "Climate FieldView", "John Deere", "Stara" }));
        Assert.That(comparison.ToString(), Is.EqualTo(
            "                 Climate FieldView  John Deere        Stara\n" +
            "Growers          n/a                missing           n/a\n" +
            "Farms            4                  3                 n/a\n" +
            "Fields           86                 40                12\n" +
            "Last sync (UTC)  2026-11-26 11:48   2026-11-26 11:48  never\n"));
    }

    [Test]
    public void Unknown_provider_keeps_its_raw_name_and_shows_reported_counts()
    {
        var panorama = new SyncSummary { Provider = Provider.Unknown, ProviderName = "Panorama", LeafUserId = User, Fields = 6 };

        Assert.Multiple(() =>
        {
            Assert.That(SyncComparison.ColumnName(panorama), Is.EqualTo("Panorama"));
            Assert.That(SyncComparison.Cell(panorama, FmisLevels.Field), Is.EqualTo("6"));
            Assert.That(SyncComparison.Cell(panorama, FmisLevels.Grower), Is.EqualTo(SyncComparison.NotApplicable));
        });
    }

    [Test]
    public void Provider_value_outside_the_enum_is_headed_by_its_raw_name_as_the_sync_checks_name_it()
    {
        // Only a summary built in code can carry such a value; the parser maps every name to a defined one.
        var future = new SyncSummary { Provider = (Provider)999, ProviderName = "FutureFmis", LeafUserId = User, Fields = 2 };

        Assert.Multiple(() =>
        {
            Assert.That(SyncComparison.ColumnName(future), Is.EqualTo("FutureFmis"));
            Assert.That(Leaf.Sdk.SyncChecks.CheckUser(new SyncSummaryResponse { Summaries = [future] }, User).Findings.Select(f => f.Message), Has.Some.Contains("FutureFmis"));
        });
    }

    [Test]
    public void Summary_without_a_provider_name_gets_a_heading_that_says_so()
    {
        // Leaf sent no "provider" key: the column must still have a heading, or the table loses a column's name.
        var nameless = new SyncSummary { Provider = Provider.Unknown, ProviderName = "", LeafUserId = User, Fields = 3 };
        var table = SyncComparison.Create(new SyncSummaryResponse { Summaries = [nameless] }, User).ToString();

        Assert.Multiple(() =>
        {
            Assert.That(SyncComparison.ColumnName(nameless), Is.EqualTo(SyncComparison.Unnamed));
            Assert.That(table.Split('\n')[0].Trim(), Is.EqualTo("(unnamed)"));
        });
    }

    [Test]
    public void User_without_summaries_has_no_columns()
    {
        var comparison = SyncComparison.Create(new SyncSummaryResponse(), User);

        Assert.That(comparison.Summaries, Is.Empty);
        Assert.That(comparison.LeafUserId, Is.EqualTo(User));
    }
}
