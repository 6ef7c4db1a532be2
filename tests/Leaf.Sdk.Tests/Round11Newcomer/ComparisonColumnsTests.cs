using Leaf.Sdk.Testing;

namespace Leaf.Sdk.Tests.Round11Newcomer;

/// <summary>
/// SyncComparison promises "one column per provider" and SyncReport "a summary Leaf sent twice gives each finding
/// once": the side-by-side view of the same answer agrees with the report on what a duplicate is.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ComparisonColumnsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static SyncSummary Trimble(int fields) => new()
    {
        Provider = Provider.Trimble,
        ProviderName = "Trimble",
        LeafUserId = DemoUsers.Healthy,
        Growers = 1,
        Farms = 1,
        Fields = fields,
        SyncReferenceTime = Now,
    };

    [Test]
    public void A_summary_Leaf_sent_twice_is_one_column()
    {
        var response = new SyncSummaryResponse { Message = "SUCCESS", Summaries = [Trimble(5), Trimble(5)] };

        var comparison = SyncComparison.Create(response, DemoUsers.Healthy);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Summaries, Is.EqualTo(new[] { Trimble(5) }));
            Assert.That(comparison.ToString().Split('\n')[0].Trim(), Is.EqualTo("Trimble"));
        });
    }

    [Test]
    public void Two_different_summaries_of_one_provider_stay_two_columns()
    {
        // Not a duplicate: two different facts, as the sync checks treat them.
        var response = new SyncSummaryResponse { Summaries = [Trimble(5), Trimble(0)] };

        var comparison = SyncComparison.Create(response, DemoUsers.Healthy);

        Assert.That(comparison.Summaries.Select(s => s.Fields), Is.EqualTo(new int?[] { 5, 0 }));
    }
}
