using System.Net;
using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round11Encoding;

/// <summary>
/// Compressed answers that are broken, or encoded in a way the client does not decode: each ends as a typed error that
/// says what was wrong, is not retried (nothing a later try would change: the same server sends the same bytes), quotes
/// no secret, and leaves the connection fit for the next call.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BrokenCompressionTests
{
    public enum Break
    {
        /// <summary>Plain JSON under a Content-Encoding that says it is compressed.</summary>
        NotCompressed,

        /// <summary>Two bytes in the middle of the compressed data flipped.</summary>
        CorruptMidBody,

        /// <summary>The checksum at the end (gzip's CRC-32, zlib's Adler-32) wrong.</summary>
        WrongChecksum,
    }

    /// <summary>
    /// Brotli's decoder throws InvalidOperationException where gzip's throws InvalidDataException: a Brotli-labelled plain
    /// answer was "failed unexpectedly: InvalidOperationException", with no status.
    /// </summary>
    [Test]
    public Task A_Sync_Summary_not_compressed_as_it_says_says_so_and_is_not_retried(
        [Values] ClientKind kind, [ValueSource(typeof(Wire), nameof(Wire.Codings))] string coding, [Values] bool large) =>
        ExpectUndecompressable(kind, coding, Break.NotCompressed, large);

    // Brotli has no checksum: a flipped byte decodes into other text (A_corrupt_Brotli_body_...).
    [Test]
    public Task A_Sync_Summary_whose_compressed_data_is_corrupt_says_so_and_is_not_retried(
        [Values] ClientKind kind, [Values("gzip", "deflate")] string coding, [Values(Break.CorruptMidBody, Break.WrongChecksum)] Break fault, [Values] bool large) =>
        ExpectUndecompressable(kind, coding, fault, large);

    private static async Task ExpectUndecompressable(ClientKind kind, string coding, Break fault, bool large)
    {
        var body = Encoding.UTF8.GetBytes(Encoded.Body(large));
        var broken = Broken(coding, body, fault);
        using var server = new EncodingServer((request, stream, stop) => Encoded.Send(
            stream, request.Number == 1 ? Wire.Answer("200 OK", broken, $"Content-Encoding: {coding}") : Wire.Compressed("200 OK", coding, LeafJson.DocumentedExample), stop));
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 3));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("Leaf's answer to the Sync Summary request could not be decompressed: its Content-Encoding does not match its body (a proxy in between?)."));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(error.Attempts, Is.EqualTo(1));
            Assert.That(server.Resources, Is.EqualTo(1), "the same bytes would come again: not retried");
            Assert.That(error.ToString(), Does.Not.Contain(Stub.Token));
        });

        var next = await client.Client.GetResourcesAsync();
        Assert.That(next.Summaries.Single().Fields, Is.EqualTo(100), "the next call reads its own answer, on a connection in a known state");
    }

    /// <summary>A Brotli login answer that is not Brotli was "The login failed unexpectedly: InvalidOperationException."</summary>
    [Test]
    public async Task A_login_answer_that_cannot_be_decompressed_says_so_and_is_not_retried(
        [Values] ClientKind kind, [ValueSource(typeof(Wire), nameof(Wire.Codings))] string coding)
    {
        using var server = new EncodingServer((request, stream, stop) => Encoded.Send(
            stream, Wire.Answer("200 OK", Encoding.UTF8.GetBytes(Encoded.LoginBody(Encoded.Jwt)), $"Content-Encoding: {coding}"), stop));
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 2, login: true));

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("Leaf's answer to the login could not be decompressed: its Content-Encoding does not match its body (a proxy in between?)."));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(server.Logins, Is.EqualTo(1));
            Assert.That(server.Resources, Is.Zero);
            Assert.That(error.ToString(), Does.Not.Contain(Encoded.Jwt).And.Not.Contain(AuthStub.Password));
        });
    }

    [Test]
    public async Task A_compressed_body_cut_short_with_a_length_that_says_so_is_a_body_that_is_no_Sync_Summary(
        [Values] ClientKind kind, [ValueSource(typeof(Wire), nameof(Wire.Codings))] string coding, [Values] bool large)
    {
        // The HTTP framing is whole (Content-Length is what was sent): the compressed data itself stops early, as a proxy
        // that truncates it would send. Decoders end quietly there, so the JSON is what is found short.
        var compressed = Wire.Compress(coding, Encoded.Body(large));
        using var server = EncodingServer.Always(Wire.Answer("200 OK", compressed[..(compressed.Length * 2 / 3)], $"Content-Encoding: {coding}"));
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 2));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith("Leaf answered with a body that is not a valid Sync Summary").Or.StartWith("Leaf's answer to the Sync Summary request could not be decompressed"));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(server.Resources, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_compressed_body_that_breaks_off_is_a_network_error_and_retried(
        [Values] ClientKind kind, [ValueSource(typeof(Wire), nameof(Wire.Codings))] string coding, [Values] bool large)
    {
        var compressed = Wire.Compress(coding, Encoded.Body(large));
        using var server = new EncodingServer(async (request, stream, stop) =>
        {
            if (request.Number > 1)
            {
                return await Encoded.Send(stream, Wire.Compressed("200 OK", coding, Encoded.Body(large)), stop);
            }

            // The length promises the whole body; half comes, then the connection closes.
            var whole = Wire.Answer("200 OK", compressed, $"Content-Encoding: {coding}");
            await stream.WriteAsync(whole.AsMemory(0, whole.Length - (compressed.Length / 2)), stop);
            return false;
        });
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 2));

        var response = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(large ? 200 : 1));
            Assert.That(server.Resources, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_corrupt_Brotli_body_is_reported_as_the_text_it_decodes_to([Values] ClientKind kind)
    {
        var compressed = Wire.Compress("br", LeafJson.DocumentedExample);
        compressed[compressed.Length / 2] ^= 0x5A;
        using var server = EncodingServer.Always(Wire.Answer("200 OK", compressed, "Content-Encoding: br"));
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 2));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith("Leaf answered with a body that is not a valid Sync Summary").Or.StartWith("Leaf's answer to the Sync Summary request could not be decompressed"));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(server.Resources, Is.EqualTo(1));
        });
    }

    [TestCase("identity")]
    [TestCase("GZIP")]
    [TestCase("gzip, gzip")]
    [TestCase("identity, gzip")]
    public async Task A_coding_named_in_another_case_or_with_identity_still_reads(string header)
    {
        var json = LeafJson.DocumentedExample;
        var body = header == "identity" ? Encoding.UTF8.GetBytes(json) : Wire.Compress("gzip", json);
        using var server = EncodingServer.Always(Wire.Answer("200 OK", body, $"Content-Encoding: {header}"));
        using var client = TestClient.Create(ClientKind.Standalone, Encoded.Options(server.Url));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
    }

    private static byte[] Broken(string coding, byte[] body, Break fault)
    {
        if (fault == Break.NotCompressed)
        {
            return body;
        }

        var compressed = Wire.Compress(coding, body);
        if (fault == Break.CorruptMidBody)
        {
            compressed[compressed.Length / 2] ^= 0x5A;
            compressed[(compressed.Length / 2) + 1] ^= 0x33;
        }
        else
        {
            // gzip ends with CRC-32 then the length (8 bytes), zlib with Adler-32 (4 bytes).
            compressed[^(coding == "gzip" ? 6 : 2)] ^= 0xFF;
        }

        return compressed;
    }
}
