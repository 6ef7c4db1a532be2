using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round10Secrets;

/// <summary>
/// A Sync Summary body too long to be read whole (over 16 KB, or chunked) is parsed as it streams, 16 KB at a time. An
/// unquoted value the JSON reader cannot read is quoted in its error with all that follows it in its buffer: when the
/// echoed token straddles the end of that buffer, the quote ends with the token's first part, which no search for the
/// whole token finds.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BufferBoundarySecretTests
{
    [TestCase(ClientKind.Standalone, 12)]
    [TestCase(ClientKind.Standalone, 30)]
    [TestCase(ClientKind.DependencyInjection, 12)]
    [TestCase(ClientKind.DependencyInjection, 30)]
    public async Task A_token_cut_by_the_parser_s_buffer_shows_no_piece_of_it(ClientKind kind, int before)
    {
        // Not hex: the channels listen process-wide, and a 4-character piece of a hex token ("ffff") is also in other
        // tests' telemetry (an IPv6-mapped loopback address, ::ffff:127.0.0.1, a trace id). Rare capitals between
        // digits, as no address, id or word is spelt.
        var token = "tok" + string.Concat(Enumerable.Range(0, 64).Select(i => i % 2 == 0 ? "QXZJKVWY"[Random.Shared.Next(8)] : (char)('0' + Random.Shared.Next(10))));
        const int Buffer = 16 * 1024;
        var lead = "{\"summaries\":[";
        var body = lead + new string(' ', Buffer - lead.Length - before) + token + "]}";
        Assert.That(Encoding.UTF8.GetByteCount(body[..(Buffer - before)]), Is.EqualTo(Buffer - before), "the token starts this far before the buffer's end");
        using var channels = new SecretChannels();
        using var server = Stub.Start();
        server.Resources(body);
        var options = Stub.Options(server);
        options.AccessToken = token;
        using var client = SecretSweepTests.Create(kind, options, channels);

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());
        channels.Add(error);

        var pieces = channels.Texts().SelectMany(text => SecretPieces.FoundIn(text, token[3..])).Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("not a valid Sync Summary"));
            Assert.That(pieces, Is.Empty, () => string.Join("\n", channels.Texts().Where(t => pieces.Any(p => t.Contains(p, StringComparison.Ordinal))).Select(t => t.Length > 600 ? t[..600] : t)));
        });
    }
}
