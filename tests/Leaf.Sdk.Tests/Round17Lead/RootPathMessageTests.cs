using Leaf.Sdk.Tests.Round9Parsers;

namespace Leaf.Sdk.Tests.Round17Lead;

/// <summary>
/// The parser's message names where in the body a problem is, but not the root alone: "(at $)" says nothing a reader
/// can use, so a body cut short before its object or array closed is described without it, on every read path.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RootPathMessageTests
{
    [TestCase("{\"summaries\":[]")]
    [TestCase("{")]
    [TestCase("[")]
    public async Task A_body_cut_short_at_the_root_is_described_without_the_root_as_its_place(string body)
    {
        await BodyPaths.AssertEveryPathRefusesAsync(body, Does.StartWith("Leaf answered with a body that is not a valid Sync Summary").And.Not.Contain("(at $)"));
    }
}
