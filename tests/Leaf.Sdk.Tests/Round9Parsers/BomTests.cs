using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>
/// A UTF-8 byte-order mark is skipped only whole and at the very start, as the serializer skips it. The whole-body path
/// skipped any of its three bytes in the first three places, so a body after a stray 0xEF parsed when it came with a
/// small Content-Length and was refused as not JSON when it streamed; and the streamed refusal quoted the mark (an
/// invisible U+FEFF) at the head of its excerpt, where the whole-body one did not.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BomTests
{
    private static readonly byte[] Documented = Encoding.UTF8.GetBytes(LeafJson.DocumentedExample.Trim());

    [TestCase(new byte[] { 0xEF }, TestName = "A stray first BOM byte is not JSON")]
    [TestCase(new byte[] { 0xBB, 0xBF }, TestName = "Stray last BOM bytes are not JSON")]
    [TestCase(new byte[] { 0x20, 0xEF, 0xBB, 0xBF }, TestName = "A BOM after white space is not JSON")]
    public async Task Only_a_whole_BOM_at_the_very_start_is_skipped(byte[] prefix)
    {
        await BodyPaths.AssertEveryPathRefusesAsync([.. prefix, .. Documented], Is.EqualTo("Leaf answered with something that is not JSON."));
    }

    [Test]
    public async Task A_BOM_is_not_quoted_in_the_excerpt()
    {
        var outcomes = await BodyPaths.AllAsync([0xEF, 0xBB, 0xBF, .. "<html>Bad gateway</html>"u8]);

        Assert.Multiple(() =>
        {
            foreach (var (path, outcome) in outcomes)
            {
                Assert.That(outcome.Error?.ResponseExcerpt, Is.EqualTo("<html>Bad gateway</html>"), $"{path}");
            }
        });
    }

    [Test]
    public async Task A_BOM_that_arrives_a_byte_at_a_time_is_still_skipped()
    {
        var outcome = await BodyPaths.RunAsync([0xEF, 0xBB, 0xBF, .. Documented], BodyPath.Trickled);

        Assert.That(outcome.Response?.Summaries.Single().Fields, Is.EqualTo(100), outcome.ToString());
    }
}
