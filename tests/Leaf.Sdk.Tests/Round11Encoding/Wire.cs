using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Leaf.Sdk.Tests.Round11Encoding;

/// <summary>HTTP/1.1 answers as bytes, compressed as a server or a proxy would, or broken as neither should.</summary>
internal static class Wire
{
    /// <summary>The content codings .NET decodes when AutomaticDecompression is All, by their Content-Encoding names.</summary>
    public static readonly string[] Codings = ["gzip", "deflate", "br"];

    /// <summary><paramref name="text"/> as UTF-8, compressed with <paramref name="coding"/> (gzip, deflate, br).</summary>
    public static byte[] Compress(string coding, string text) => Compress(coding, Encoding.UTF8.GetBytes(text));

    public static byte[] Compress(string coding, byte[] data)
    {
        using var output = new MemoryStream();
        using (var compressing = Compressor(coding, output, leaveOpen: false))
        {
            compressing.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A compressing stream for <paramref name="coding"/>; "deflate" is the zlib format, as RFC 9110 (8.4.1.2) names it.</summary>
    public static Stream Compressor(string coding, Stream output, bool leaveOpen) => coding switch
    {
        "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen),
        "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen),
        "br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen),
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, null),
    };

    /// <summary>A complete answer with a Content-Length of <paramref name="body"/>'s size and any <paramref name="headers"/> ("Name: value").</summary>
    public static byte[] Answer(string status, byte[] body, params string[] headers)
    {
        var head = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n"));
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    /// <summary>An answer whose body, <paramref name="text"/>, is compressed with <paramref name="coding"/> and says so.</summary>
    public static byte[] Compressed(string status, string coding, string text, params string[] headers) =>
        Answer(status, Compress(coding, text), [$"Content-Encoding: {coding}", .. headers]);

    /// <summary>Head of an answer with no length and no chunking: the body runs until the server closes.</summary>
    public static byte[] HeadToClose(string status, params string[] headers)
    {
        var head = new StringBuilder($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nConnection: close\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(head.Append("\r\n").ToString());
    }
}
