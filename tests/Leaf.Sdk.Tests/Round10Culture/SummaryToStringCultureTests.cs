namespace Leaf.Sdk.Tests.Round10Culture;

/// <summary>
/// A summary printed to a log or an assertion message shows its sync time as Leaf sent it: the same instant in the
/// same form under every culture, to the last digit. The generated ToString printed it in the current culture's
/// calendar (2566 under th-TH, 1402 under fa-IR, a Hijri date with Arabic AM/PM under ar-SA) and to the second only.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SummaryToStringCultureTests
{
    private static readonly Guid User = new("5b7d1f3e-2c4a-4e8b-9f10-1a2b3c4d5e6f");

    // 2023-08-30T18:39:33.230612Z, Leaf's documented example.
    private static readonly DateTimeOffset Synced = new DateTimeOffset(2023, 8, 30, 18, 39, 33, TimeSpan.Zero).AddTicks(2_306_120);

    private static SyncSummary Summary(DateTimeOffset? synced) => new()
    {
        Provider = Provider.ClimateFieldView,
        ProviderName = "ClimateFieldView",
        LeafUserId = User,
        Farms = 12,
        Fields = 100,
        SyncReferenceTime = synced,
    };

    [TestCaseSource(typeof(CultureScope), nameof(CultureScope.Unusual))]
    [TestCase("")]
    public async Task The_sync_time_reads_as_Leaf_sent_it_whatever_the_culture(string culture)
    {
        var text = await CultureScope.Under(culture, () => Summary(Synced).ToString());

        Assert.That(text, Is.EqualTo(
            "SyncSummary { Provider = ClimateFieldView, ProviderName = ClimateFieldView, LeafUserId = 5b7d1f3e-2c4a-4e8b-9f10-1a2b3c4d5e6f, "
            + "Growers = , Farms = 12, Fields = 100, SyncReferenceTime = 2023-08-30T18:39:33.230612Z }"));
    }

    [Test]
    public void Two_summaries_a_microsecond_apart_print_differently()
    {
        Assert.That(Summary(Synced).ToString(), Is.Not.EqualTo(Summary(Synced.AddTicks(10)).ToString()));
    }

    [Test]
    public void A_sync_time_with_an_offset_prints_as_the_same_instant_in_UTC()
    {
        var text = Summary(Synced.ToOffset(TimeSpan.FromHours(2))).ToString();

        Assert.That(text, Does.Contain("SyncReferenceTime = 2023-08-30T18:39:33.230612Z }"));
    }

    [Test]
    public void A_summary_without_a_sync_time_prints_none()
    {
        Assert.That(Summary(null).ToString(), Does.EndWith("Fields = 100, SyncReferenceTime =  }"));
    }

    [TestCaseSource(typeof(CultureScope), nameof(CultureScope.Unusual))]
    public async Task A_response_prints_its_summaries_the_same_way_under_every_culture(string culture)
    {
        var response = new SyncSummaryResponse { Message = "SUCCESS", Summaries = [Summary(Synced), Summary(null)] };

        var expected = await CultureScope.Under(string.Empty, response.ToString);
        var text = await CultureScope.Under(culture, response.ToString);

        Assert.That(text, Is.EqualTo(expected).And.Contain("2023-08-30T18:39:33.230612Z"));
    }
}
