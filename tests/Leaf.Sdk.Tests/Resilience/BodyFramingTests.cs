using System.IO.Compression;
using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// Over a real socket, through the whole pipeline: every way Leaf (or a proxy) may frame the same body reads the same.
/// A body with a small Content-Length is read whole; a chunked, a compressed (whose length the decompressor drops) or a
/// large one streams.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BodyFramingTests
{
    public enum Framing
    {
        ContentLength,
        Chunked,
        Gzip,
        Brotli,
    }

    [Test]
    public async Task Every_framing_of_the_documented_example_reads_the_same([Values] ClientKind kind, [Values] Framing framing)
    {
        using var raw = new RawHttpServer(_ => Answer(LeafJson.DocumentedExample, framing));
        using var h = new ResilienceHarness(kind, baseAddress: raw.Url);

        var response = await h.DriveAsync(() => h.Client.GetResourcesAsync());

        var summary = response.Summaries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(summary.Fields, Is.EqualTo(100));
            Assert.That(response.Message, Is.EqualTo("SUCCESS"));
            Assert.That(raw.Requests, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_body_over_the_small_body_limit_with_a_length_streams_and_reads_whole([Values] ClientKind kind)
    {
        var one = LeafJson.DocumentedExample.Trim();
        one = one[one.IndexOf("{\"provider", StringComparison.Ordinal)..^2];
        var body = $"{{\"message\":\"SUCCESS\",\"summaries\":[{string.Join(',', Enumerable.Repeat(one, 200))}]}}";
        Assert.That(Encoding.UTF8.GetByteCount(body), Is.GreaterThan(SyncSummaryParser.SmallBodyLimit));
        using var raw = new RawHttpServer(_ => Answer(body, Framing.ContentLength));
        using var h = new ResilienceHarness(kind, baseAddress: raw.Url);

        var response = await h.DriveAsync(() => h.Client.GetResourcesAsync());

        Assert.That(response.Summaries, Has.Count.EqualTo(200));
    }

    [Test]
    public async Task A_compressed_body_that_is_not_json_says_so([Values] ClientKind kind)
    {
        using var raw = new RawHttpServer(_ => Answer("<html>Bad gateway</html>", Framing.Gzip));
        using var h = new ResilienceHarness(kind, baseAddress: raw.Url);

        var ex = await FaultMatrixTests.CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain("HTML instead of JSON"));
            Assert.That(ex.ResponseExcerpt, Does.Contain("Bad gateway"), "the excerpt is of the decompressed body");
        });
    }

    private static byte[] Answer(string json, Framing framing)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var (encoding, payload) = framing switch
        {
            Framing.Gzip => ("gzip", Compress(body, s => new GZipStream(s, CompressionLevel.Fastest))),
            Framing.Brotli => ("br", Compress(body, s => new BrotliStream(s, CompressionLevel.Fastest))),
            _ => (null, body),
        };
        var head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n");
        if (encoding is not null)
        {
            head.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Encoding: {encoding}\r\n");
        }

        if (framing == Framing.Chunked)
        {
            // Two chunks, split inside a string, as a proxy might.
            var half = payload.Length / 2;
            head.Append("Transfer-Encoding: chunked\r\n\r\n");
            return [.. Encoding.ASCII.GetBytes(head.ToString()), .. Chunk(payload[..half]), .. Chunk(payload[half..]), .. "0\r\n\r\n"u8];
        }

        head.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Length: {payload.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. payload];
    }

    private static byte[] Chunk(byte[] data) =>
        [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8];

    private static byte[] Compress(byte[] data, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressing = compressor(output))
        {
            compressing.Write(data);
        }

        return output.ToArray();
    }
}
