namespace Leaf.Sdk.Tests.Round14Mutants;

/// <summary>
/// The sync-age text switches unit where the whole count of the larger one reaches 2 ("2 h", "2 days", pinned in
/// Round7Checks) and from milliseconds to seconds at one second: the two edges left unpinned read the same way.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class DurationBoundaryTests
{
    [TestCase(1_000, "1 s")]
    [TestCase(120_000, "2 min")]
    [TestCase(119_000, "119 s")]
    public void A_span_at_a_units_edge_reads_in_the_larger_unit(int milliseconds, string expected)
    {
        Assert.That(Leaf.Sdk.SyncChecks.Describe(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));
    }
}
