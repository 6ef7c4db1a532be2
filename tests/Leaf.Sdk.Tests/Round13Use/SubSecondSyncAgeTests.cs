using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round13Use;

// Inside the namespace, so SyncChecks is the library's class, not the Leaf.Sdk.Tests.SyncChecks namespace.
using SyncChecks = Leaf.Sdk.SyncChecks;

/// <summary>
/// MaxSyncAge takes any positive span; a user's test that forces staleness with a tiny one (500 ms, one tick) gets a
/// message that states the limit it set, not "more than the 0 s allowed".
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SubSecondSyncAgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

    private static string StaleMessage(TimeSpan age, TimeSpan maxSyncAge)
    {
        var response = new SyncSummaryResponse
        {
            Message = "SUCCESS",
            Summaries = [new SyncSummary { Provider = Provider.Stara, ProviderName = "Stara", LeafUserId = Guid.NewGuid(), Fields = 3, SyncReferenceTime = Now - age }],
        };

        var report = SyncChecks.Check(response, new SyncExpectations { MaxSyncAge = maxSyncAge }, new FakeTimeProvider(Now));

        return report.Findings.Single(f => f.Code == SyncFindingCode.SyncStale).Message;
    }

    [Test]
    public void A_limit_under_a_second_is_stated_in_milliseconds()
    {
        var message = StaleMessage(TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(500));

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain("last synced 1 s ago"));
            Assert.That(message, Does.Contain("more than the 500 ms allowed"));
            Assert.That(message, Does.Not.Contain("0 s allowed"));
        });
    }

    [Test]
    public void An_age_and_a_limit_both_under_a_second_read_as_two_different_spans()
    {
        var message = StaleMessage(TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(250));

        Assert.That(message, Does.Contain("last synced 800 ms ago").And.Contain("more than the 250 ms allowed"));
    }

    [Test]
    public void A_limit_of_one_tick_is_not_zero()
    {
        var message = StaleMessage(TimeSpan.FromMinutes(3), TimeSpan.FromTicks(1));

        Assert.That(message, Does.Contain("more than the 0.0001 ms allowed"));
    }
}
