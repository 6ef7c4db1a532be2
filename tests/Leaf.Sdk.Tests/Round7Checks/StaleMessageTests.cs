using static Leaf.Sdk.Tests.TestSupport.SyncFixture;

namespace Leaf.Sdk.Tests.Round7Checks;

/// <summary>SyncStale at and around MaxSyncAge: when it fires, and that its message never contradicts itself.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class StaleMessageTests
{
    private static string StaleMessage(TimeSpan age, SyncExpectations? expectations = null)
    {
        var finding = CheckUser(Response(Summary(Provider.Raven, 2, 2, 44, age)), expectations).Findings.Single();
        Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.SyncStale));
        return finding.Message;
    }

    [TestCase(24 * 60 + 1, "24 h 1 min ago")]
    [TestCase(24 * 60 + 59, "24 h 59 min ago")]
    [TestCase(25 * 60, "25 h ago")]
    [TestCase(3 * 24 * 60 + 5 * 60 + 7, "3 days 5 h ago")]
    public void A_sync_past_the_limit_reads_as_past_it(int minutes, string expected)
    {
        Assert.That(StaleMessage(TimeSpan.FromMinutes(minutes)), Does.Contain(expected).And.Contain("more than the 24 h allowed"));
    }

    [Test]
    public void A_sync_past_the_limit_by_less_than_the_text_shows_is_just_over_it()
    {
        Assert.That(StaleMessage(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(30)), Does.Contain("last synced just over 24 h ago").And.Contain("more than the 24 h allowed"));
    }

    [Test]
    public void A_limit_that_is_not_a_whole_number_of_hours_is_not_rounded_down()
    {
        var expectations = new SyncExpectations { MaxSyncAge = TimeSpan.FromMinutes(150) };

        Assert.That(StaleMessage(TimeSpan.FromMinutes(165), expectations), Does.Contain("2 h 45 min ago").And.Contain("more than the 2 h 30 min allowed"));
    }

    [Test]
    public void Exactly_the_limit_is_not_stale_and_one_tick_more_is()
    {
        var expectations = new SyncExpectations { MaxSyncAge = TimeSpan.FromHours(6) };

        Assert.Multiple(() =>
        {
            Assert.That(CheckUser(Response(Summary(Provider.Raven, 2, 2, 44, TimeSpan.FromHours(6))), expectations).Findings, Is.Empty);
            Assert.That(StaleMessage(TimeSpan.FromHours(6) + TimeSpan.FromTicks(1), expectations), Does.Contain("just over 6 h ago"));
        });
    }

    [TestCase(-5)]
    [TestCase(-3 * 24 * 60)]
    public void A_sync_time_in_the_future_is_not_stale(int minutes)
    {
        // Clock skew between Leaf and this machine: the sync is as fresh as it gets, never "-5 min ago".
        Assert.That(CheckUser(Response(Summary(Provider.Raven, 2, 2, 44, TimeSpan.FromMinutes(minutes)))).Findings, Is.Empty);
    }

    [TestCase(45, "45 s")]
    [TestCase(90, "90 s")]
    [TestCase(125, "2 min 5 s")]
    [TestCase(90 * 60, "90 min")]
    [TestCase(2 * 3600, "2 h")]
    [TestCase(36 * 3600, "36 h")]
    [TestCase(48 * 3600, "2 days")]
    [TestCase(60 * 3600, "2 days 12 h")]
    public void Durations_read_as_whole_units_and_the_rest(int seconds, string expected)
    {
        Assert.That(Leaf.Sdk.SyncChecks.Describe(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));
    }
}
