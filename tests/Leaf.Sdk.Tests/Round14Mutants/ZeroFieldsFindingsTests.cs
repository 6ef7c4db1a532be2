using static Leaf.Sdk.Tests.TestSupport.SyncFixture;

namespace Leaf.Sdk.Tests.Round14Mutants;

/// <summary>
/// A provider that reports 0 fields is one finding, NoFields (README, "Sync checks"): ExposedLevelMissing and
/// ExposedLevelEmpty are for growers or farms absent or 0 "while fields exist", and BelowExpectedScope leaves a 0 to
/// those. A report that also said "reports 0 fields but no grower count" would send the support engineer after growers
/// when nothing synced at all.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ZeroFieldsFindingsTests
{
    [TestCase(null, null)]
    [TestCase(0, 0)]
    [TestCase(null, 0)]
    public void Zero_fields_is_NoFields_alone_whatever_the_upper_levels_say(int? growers, int? farms)
    {
        var report = CheckUser(Response(Summary(Provider.JohnDeere, growers, farms, 0)));

        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.NoFields }));
    }

    [Test]
    public void Zero_fields_is_NoFields_alone_under_minimums_too()
    {
        var expectations = new SyncExpectations { MinimumGrowers = 2, MinimumFarms = 2, MinimumFields = 10 };

        var report = CheckUser(Response(Summary(Provider.JohnDeere, 0, 0, 0)), expectations);

        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.NoFields }));
    }
}
