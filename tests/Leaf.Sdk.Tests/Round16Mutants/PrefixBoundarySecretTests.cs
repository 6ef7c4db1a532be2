using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round16Mutants;

/// <summary>
/// A Sync Summary body the parser refuses is quoted from its first 512 bytes (the excerpt, 200 characters once its white
/// space is collapsed). A token echoed across byte 512 is in that prefix only in part, and a search for the whole token
/// does not find the part: the prefix counts as cut short when it is full, so the part is removed as well. Both read
/// paths: a body with a Content-Length read whole, and one streamed without it.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class PrefixBoundarySecretTests
{
    private sealed class UnknownLength(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    [TestCase(false, 12)]
    [TestCase(false, 30)]
    [TestCase(true, 12)]
    [TestCase(true, 30)]
    public async Task A_token_across_the_end_of_the_quoted_prefix_shows_no_piece_of_it(bool streamed, int inPrefix)
    {
        // Capitals between digits, as no word or id is spelt, so a 4-character piece of it is only ever the token.
        var token = "tok" + string.Concat(Enumerable.Range(0, 48).Select(i => i % 2 == 0 ? "QXZJKVWY"[Random.Shared.Next(8)] : (char)('0' + Random.Shared.Next(10))));
        const string Lead = "{\"summaries\":[{\"x\":";
        var padding = new string(' ', PrefixCapturingStream.Capacity - inPrefix - Lead.Length - 1);
        var bytes = Encoding.UTF8.GetBytes(Lead + padding + "t" + token + "}]}");
        Assert.That(Encoding.UTF8.GetString(bytes, 0, PrefixCapturingStream.Capacity), Does.EndWith("t" + token[..inPrefix]), "the prefix ends inside the token");
        HttpContent content = streamed ? new StreamContent(new UnknownLength(bytes)) : new ByteArrayContent(bytes);
        using (content)
        {
            var error = await Assert.CatchAsync<LeafApiException>(async () => await SyncSummaryParser.ParseAsync(content, token, CancellationToken.None));

            Assert.Multiple(() =>
            {
                Assert.That(content.Headers.ContentLength, streamed ? Is.Null : Is.EqualTo(bytes.Length));
                Assert.That(error!.ResponseExcerpt, Does.StartWith("{\"summaries\":[{\"x\": t").And.EndWith("[redacted]"));
                Assert.That(SecretPieces.FoundIn(error.ResponseExcerpt, token), Is.Empty);
                Assert.That(SecretPieces.FoundIn(error.ToString(), token), Is.Empty);
            });
        }
    }
}
