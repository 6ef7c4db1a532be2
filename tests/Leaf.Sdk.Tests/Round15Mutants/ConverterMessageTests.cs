using Leaf.Sdk.Tests.Round9Parsers;

namespace Leaf.Sdk.Tests.Round15Mutants;

/// <summary>
/// A body of the wrong shape is refused "with a message that says what was wrong" (DESIGN, "Bad input from the server"):
/// SyncSummaryConverter names the key and what it found instead. The existing tests check that the key is named
/// ("'provider' must be a string") and stop there, so every word that says what was found ("a number", "an array", ...)
/// and the whole "Expected a summary object" sentence could be emptied without a test failing. Every path a body can
/// take (whole, streamed, trickled, large) must say the same.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ConverterMessageTests
{
    [TestCase("""{"summaries":[{"provider":7}]}""", "'provider' must be a string but was a number.")]
    [TestCase("""{"summaries":[{"provider":true}]}""", "'provider' must be a string but was a boolean.")]
    [TestCase("""{"summaries":[{"provider":false}]}""", "'provider' must be a string but was a boolean.")]
    [TestCase("""{"summaries":[{"provider":["JohnDeere"]}]}""", "'provider' must be a string but was an array.")]
    [TestCase("""{"summaries":[{"provider":{"name":"JohnDeere"}}]}""", "'provider' must be a string but was an object.")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere","growers":"12"}]}""", "'growers' must be a number but was a string.")]
    [TestCase("""{"summaries":[{"leafUserId":7}]}""", "'leafUserId' must be a UUID string but was a number.")]
    [TestCase("""{"summaries":[{"syncReferenceTime":[]}]}""", "'syncReferenceTime' must be an ISO-8601 string but was an array.")]
    [TestCase("""{"summaries":["JohnDeere"]}""", "Expected a summary object but found a string.")]
    [TestCase("""{"summaries":[12]}""", "Expected a summary object but found a number.")]
    [TestCase("""{"summaries":[true]}""", "Expected a summary object but found a boolean.")]
    [TestCase("""[["JohnDeere"]]""", "Expected a summary object but found an array.")]
    public async Task A_value_of_the_wrong_type_is_named_with_what_was_found(string body, string said)
    {
        await BodyPaths.AssertEveryPathRefusesAsync(body, Does.StartWith("Leaf answered with a body that is not a valid Sync Summary: " + said));
    }

    /// <summary>
    /// A summary both mistyped and broken is refused for its syntax error, the one a read-ahead meets first, wherever in
    /// the summary that error is: past a nested object's end too, which is not the summary's end.
    /// </summary>
    [Test]
    public async Task A_syntax_error_past_a_nested_object_in_a_mistyped_summary_is_the_one_reported()
    {
        await BodyPaths.AssertEveryPathRefusesAsync("""{"summaries":[{"growers":"12","extra":{"a":1},"fields":tru}]}""", Does.Contain("invalid JSON literal").And.Not.Contain("'growers'"));
    }

    /// <summary>
    /// The look for a syntax error stops at the end of the summary that is refused: what comes after it (the rest of the
    /// envelope, the next summary) is no reason to refuse this one, and a read-ahead never reaches it before the
    /// converter's verdict.
    /// </summary>
    [TestCase("""{"summaries":[{"growers":"12"}],"message":tru}""", "'growers' must be a number but was a string.")]
    [TestCase("""{"summaries":[12,{"fields":tru}]}""", "Expected a summary object but found a number.")]
    public async Task A_syntax_error_after_the_refused_summary_is_not_the_one_reported(string body, string said)
    {
        await BodyPaths.AssertEveryPathRefusesAsync(body, Does.StartWith("Leaf answered with a body that is not a valid Sync Summary: " + said));
    }
}
