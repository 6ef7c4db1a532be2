using Leaf.Sdk.Tests.Round9Parsers;

namespace Leaf.Sdk.Tests.Round17Mutants;

/// <summary>
/// A body that is valid JSON but a bare value is said to be what it is, not "something that is not JSON": a negative
/// number too, whose first byte is '-', on every read path.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class NegativeNumberBodyTests
{
    [TestCase("-1")]
    [TestCase("-0.5e3")]
    public async Task A_negative_number_as_the_body_is_called_a_JSON_number(string body)
    {
        await BodyPaths.AssertEveryPathRefusesAsync(body, Is.EqualTo("Leaf answered with a JSON number where a Sync Summary (a JSON object or array) was expected."));
    }
}
