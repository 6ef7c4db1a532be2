using Leaf.Sdk.Tests.Round9Parsers;

namespace Leaf.Sdk.Tests.Round15Lead;

/// <summary>
/// A body that is a bare JSON number is told as one, from its first digit to its last: round 15's mutation testing
/// found that only "42" and "-1" were tried, so a body of "0" or "9" could have been called "not JSON" unnoticed. The
/// bytes just outside the digits ('/' and ':') are not JSON at all.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ScalarBodyEdgeTests
{
    [TestCase("0")]
    [TestCase("9")]
    [TestCase("-0")]
    [TestCase("90")]
    public async Task A_bare_number_starting_with_any_digit_is_told_as_a_JSON_number_on_every_path(string body)
    {
        await BodyPaths.AssertEveryPathRefusesAsync(body, Does.Contain("a JSON number"));
    }

    [TestCase("/0")]
    [TestCase(":0")]
    public async Task A_body_starting_just_outside_the_digits_is_not_called_a_number(string body)
    {
        await BodyPaths.AssertEveryPathRefusesAsync(body, Does.Not.Contain("a JSON number"));
    }
}
