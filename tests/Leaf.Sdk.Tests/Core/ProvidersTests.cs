namespace Leaf.Sdk.Tests.Core;

/// <summary>The provider catalogue is exactly DESIGN.md's table, and parsing is forgiving about case only.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ProvidersTests
{
    private const FmisLevels All3 = FmisLevels.Grower | FmisLevels.Farm | FmisLevels.Field;

    // DESIGN.md §1, "Providers and the FMIS levels each exposes", row by row.
    private static readonly ProviderInfo[] DesignTable =
    [
        new(Provider.JohnDeere, "JohnDeere", "John Deere", All3),
        new(Provider.ClimateFieldView, "ClimateFieldView", "Climate FieldView", FmisLevels.Farm | FmisLevels.Field),
        new(Provider.CNHI, "CNHI", "CNHI (AFS Connect - Legacy)", All3),
        new(Provider.CNHIFieldOps, "CNHIFieldOps", "CNHI FieldOps", All3),
        new(Provider.Trimble, "Trimble", "Trimble", All3),
        new(Provider.Stara, "Stara", "Stara", FmisLevels.Field),
        new(Provider.Raven, "Raven", "Raven", All3),
        new(Provider.AgVance, "AgVance", "AgVance", All3),
        new(Provider.Sentera, "Sentera", "Sentera", FmisLevels.Field),
    ];

    [Test]
    public void The_catalogue_lists_the_nine_providers_of_the_design_table_in_enum_order()
    {
        Assert.That(Providers.All, Is.EqualTo(DesignTable));
        Assert.That(Providers.All.Select(p => p.Provider), Is.EqualTo(Enum.GetValues<Provider>().Where(p => p != Provider.Unknown)));
    }

    [TestCaseSource(nameof(DesignTable))]
    public void GetInfo_returns_the_design_table_row(ProviderInfo expected)
    {
        var info = expected.Provider.GetInfo();

        Assert.Multiple(() =>
        {
            Assert.That(info.ApiName, Is.EqualTo(expected.ApiName));
            Assert.That(info.DisplayName, Is.EqualTo(expected.DisplayName));
            Assert.That(info.Levels, Is.EqualTo(expected.Levels));
        });
    }

    [TestCaseSource(nameof(DesignTable))]
    public void TryParse_reads_every_API_name_in_any_case(ProviderInfo expected)
    {
        foreach (var spelling in new[] { expected.ApiName, expected.ApiName.ToUpperInvariant(), expected.ApiName.ToLowerInvariant() })
        {
            Assert.That(Providers.TryParse(spelling, out var parsed), Is.True, spelling);
            Assert.That(parsed, Is.EqualTo(expected.Provider), spelling);
        }
    }

    [TestCase("CNHi", Provider.CNHI)]
    [TestCase("johndeere", Provider.JohnDeere)]
    [TestCase("cnhiFieldOps", Provider.CNHIFieldOps)]
    [TestCase("AGVANCE", Provider.AgVance)]
    public void TryParse_accepts_the_spellings_Leaf_uses(string name, Provider expected)
    {
        Assert.That(Providers.TryParse(name, out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" ")]
    [TestCase("Panorama")]
    [TestCase("AgLeader")]
    [TestCase("Unknown")]
    [TestCase(" JohnDeere")]
    [TestCase("John Deere")]
    [TestCase("Climate FieldView")]
    public void TryParse_refuses_names_it_does_not_know_and_reports_Unknown(string? name)
    {
        Assert.That(Providers.TryParse(name, out var parsed), Is.False);
        Assert.That(parsed, Is.EqualTo(Provider.Unknown));
    }

    [TestCase(Provider.Unknown)]
    [TestCase((Provider)999)]
    [TestCase((Provider)(-1))]
    public void GetInfo_of_an_unknown_provider_exposes_nothing(Provider provider)
    {
        var info = provider.GetInfo();

        Assert.That(info.Levels, Is.EqualTo(FmisLevels.None));
        Assert.That(info.Provider, Is.EqualTo(Provider.Unknown));
        Assert.That(info.Exposes(FmisLevels.Field), Is.False);
    }

    [Test]
    public void Exposes_answers_a_capability_question_in_one_call()
    {
        var climate = Provider.ClimateFieldView.GetInfo();
        var stara = Provider.Stara.GetInfo();
        var deere = Provider.JohnDeere.GetInfo();

        Assert.Multiple(() =>
        {
            Assert.That(climate.Exposes(FmisLevels.Grower), Is.False);
            Assert.That(climate.Exposes(FmisLevels.Farm), Is.True);
            Assert.That(climate.Exposes(FmisLevels.Field), Is.True);
            Assert.That(climate.Exposes(FmisLevels.Farm | FmisLevels.Field), Is.True, "every level asked for is exposed");
            Assert.That(climate.Exposes(FmisLevels.Grower | FmisLevels.Field), Is.False, "one missing level is enough to say no");
            Assert.That(climate.Exposes(FmisLevels.None), Is.False, "asking about no level is not a yes");
            Assert.That(stara.Exposes(FmisLevels.Farm), Is.False);
            Assert.That(stara.Exposes(FmisLevels.Field), Is.True);
            Assert.That(deere.Exposes(All3), Is.True);
        });
    }

    [Test]
    public void CountAt_reads_the_count_of_one_level()
    {
        var summary = new SyncSummary { Growers = null, Farms = 3, Fields = 41 };

        Assert.Multiple(() =>
        {
            Assert.That(summary.CountAt(FmisLevels.Grower), Is.Null);
            Assert.That(summary.CountAt(FmisLevels.Farm), Is.EqualTo(3));
            Assert.That(summary.CountAt(FmisLevels.Field), Is.EqualTo(41));
        });
    }

    [TestCase(FmisLevels.None)]
    [TestCase(FmisLevels.Grower | FmisLevels.Farm)]
    [TestCase((FmisLevels)8)]
    public void CountAt_refuses_anything_but_exactly_one_level(FmisLevels level)
    {
        var summary = new SyncSummary { Growers = 1, Farms = 2, Fields = 3 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => summary.CountAt(level));

        Assert.That(error!.ParamName, Is.EqualTo("level"));
    }

    [Test]
    public void A_new_summary_has_an_empty_provider_name_and_a_new_response_an_empty_list()
    {
        Assert.That(new SyncSummary().ProviderName, Is.Empty);
        Assert.That(new SyncSummaryResponse().Summaries, Is.Not.Null.And.Empty);
    }
}
