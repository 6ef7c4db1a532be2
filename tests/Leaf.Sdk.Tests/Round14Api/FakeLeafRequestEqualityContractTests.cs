using Leaf.Sdk.Testing;

namespace Leaf.Sdk.Tests.Round14Api;

/// <summary>
/// <see cref="FakeLeafRequest"/>'s equality keeps the contract collections and assertions rely on: symmetric, and equal
/// requests hash alike, whatever comparer the dictionary a test built for its expected query uses.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafRequestEqualityContractTests
{
    private static FakeLeafRequest Get(IEqualityComparer<string> comparer, params (string Key, string Value)[] query) =>
        new("GET", FakeLeafServer.ResourcesPath, query.ToDictionary(q => q.Key, q => q.Value, comparer), true, 200);

    [Test]
    public void Parameter_names_compare_exactly_whichever_side_holds_a_case_insensitive_dictionary()
    {
        // The journal's dictionary is ordinal; a test's expected query may well be case-insensitive. Before, the lookup
        // went through the other side's comparer: journal.Equals(expected) was true, expected.Equals(journal) false,
        // and their hashes differed.
        var journal = Get(StringComparer.Ordinal, ("leafUserId", "x"));
        var expected = Get(StringComparer.OrdinalIgnoreCase, ("LEAFUSERID", "x"));

        Assert.Multiple(() =>
        {
            Assert.That(journal.Equals(expected), Is.False, "journal.Equals(expected)");
            Assert.That(expected.Equals(journal), Is.False, "expected.Equals(journal)");
            Assert.That(journal == expected, Is.False);
            Assert.That(expected == journal, Is.False);
        });
    }

    [Test]
    public void The_same_query_in_dictionaries_with_different_comparers_is_equal_both_ways_and_hashes_alike()
    {
        var journal = Get(StringComparer.Ordinal, ("provider", "JohnDeere"), ("leafUserId", "x"));
        var expected = Get(StringComparer.OrdinalIgnoreCase, ("leafUserId", "x"), ("provider", "JohnDeere"));

        Assert.Multiple(() =>
        {
            Assert.That(journal.Equals(expected), Is.True);
            Assert.That(expected.Equals(journal), Is.True);
            Assert.That(journal.GetHashCode(), Is.EqualTo(expected.GetHashCode()));
            Assert.That(new HashSet<FakeLeafRequest> { journal }, Does.Contain(expected));
        });
    }

    [Test]
    public void A_query_left_null_equals_an_empty_one_and_prints_as_empty()
    {
        var none = new FakeLeafRequest("GET", FakeLeafServer.ResourcesPath, null!, false, 401);
        var empty = none with { Query = new Dictionary<string, string>() };

        Assert.Multiple(() =>
        {
            Assert.That(none.Equals(empty) && empty.Equals(none), Is.True);
            Assert.That(none.GetHashCode(), Is.EqualTo(empty.GetHashCode()));
            Assert.That(none.ToString(), Does.Contain("Query = { }"));
        });
    }
}
