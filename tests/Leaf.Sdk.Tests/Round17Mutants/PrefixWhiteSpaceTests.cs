using System.Text;
using Leaf.Sdk.Tests.Round9Parsers;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round17Mutants;

/// <summary>
/// The streamed path keeps the first 512 bytes of a body; a prefix of white space alone is dropped and the next 512 read
/// into the same buffer. A byte-order mark is skipped only whole and at the very start of the body (Round9Parsers'
/// BomTests): one that comes right after a dropped prefix of white space is at the start of the buffer, not of the body,
/// and is not JSON on every path, as it is after a single space.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class PrefixWhiteSpaceTests
{
    private static readonly byte[] Documented = Encoding.UTF8.GetBytes(LeafJson.DocumentedExample.Trim());

    [TestCase(512)]
    [TestCase(1024)]
    public async Task A_BOM_after_a_whole_prefix_of_white_space_is_not_JSON(int spaces)
    {
        await BodyPaths.AssertEveryPathRefusesAsync([.. Enumerable.Repeat((byte)' ', spaces), 0xEF, 0xBB, 0xBF, .. Documented], Is.EqualTo("Leaf answered with something that is not JSON."));
    }
}
