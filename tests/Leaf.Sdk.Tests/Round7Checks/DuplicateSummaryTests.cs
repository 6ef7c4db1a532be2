using static Leaf.Sdk.Tests.TestSupport.SyncFixture;

namespace Leaf.Sdk.Tests.Round7Checks;

/// <summary>Several summaries for one provider: the same one twice, or one per user.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class DuplicateSummaryTests
{
    [Test]
    public void A_summary_Leaf_sent_twice_gives_each_finding_once()
    {
        var twice = Summary(Provider.Trimble, 1, 1, 0, TimeSpan.FromDays(3));

        var report = CheckUser(Response(twice, twice));

        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.NoFields, SyncFindingCode.SyncStale }));
    }

    [Test]
    public void An_unknown_provider_sent_twice_is_reported_once()
    {
        var panorama = new SyncSummary { Provider = Provider.Unknown, ProviderName = "Panorama", LeafUserId = User, Fields = 4, SyncReferenceTime = Now };

        var report = CheckUser(Response(panorama, panorama));

        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.UnknownProvider }));
    }

    [Test]
    public void Two_different_summaries_of_one_provider_are_both_checked()
    {
        // Not a duplicate: two different facts, each its own finding.
        var report = CheckUser(Response(Summary(Provider.Trimble, 1, 1, 0), Summary(Provider.Trimble, 1, 1, 5, TimeSpan.FromDays(2))));

        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.NoFields, SyncFindingCode.SyncStale }));
    }

    [Test]
    public void The_same_provider_for_two_users_is_one_finding_per_user()
    {
        var report = CheckAll(Response(Summary(Provider.Trimble, 1, 1, 0), Summary(Provider.Trimble, 1, 1, 0, user: OtherUser)));

        Assert.That(report.Findings.Select(f => (f.Code, f.LeafUserId)), Is.EqualTo(new (SyncFindingCode, Guid?)[]
        {
            (SyncFindingCode.NoFields, User),
            (SyncFindingCode.NoFields, OtherUser),
        }));
    }
}
