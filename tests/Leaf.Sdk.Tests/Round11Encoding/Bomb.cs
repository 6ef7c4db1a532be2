using System.IO.Compression;
using System.Text;

namespace Leaf.Sdk.Tests.Round11Encoding;

/// <summary>
/// A body that never ends, generated as it is sent: a start (<c>{"summaries":[</c>), then one unit (white space, or a
/// summary and a comma) over and over, plain or gzip-compressed. The compressed form is built once from a megabyte of
/// units compressed after a window's worth of them and a sync flush, so the same bytes may be sent again and again: each
/// copy decodes to the same megabyte, since what it refers back to is units too. A test never holds the expanded body,
/// and the server never compresses it.
/// </summary>
internal sealed class Bomb
{
    private const int Window = 64 * 1024;
    private const int BlockBytes = 1024 * 1024;

    private Bomb(byte[] head, byte[] block, long expandedBlock)
    {
        Head = head;
        Block = block;
        ExpandedBlock = expandedBlock;
    }

    /// <summary>The start of the body, as sent.</summary>
    public byte[] Head { get; }

    /// <summary>What is sent again and again after <see cref="Head"/>.</summary>
    public byte[] Block { get; }

    /// <summary>How many bytes one <see cref="Block"/> expands to.</summary>
    public long ExpandedBlock { get; }

    /// <summary>White space after the start of the envelope: memory need not grow, only time.</summary>
    public static Bomb WhiteSpace(bool gzip) => Create("""{"message":"SUCCESS","summaries":[""", "        \r\n", gzip);

    /// <summary>Summary after summary: every one is a new object in the result.</summary>
    public static Bomb Summaries(bool gzip) => Create(
        """{"message":"SUCCESS","summaries":[""",
        """{"provider":"JohnDeere","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","growers":12,"farms":12,"fields":100,"syncReferenceTime":"2023-08-30T18:39:33.230612Z"},""",
        gzip);

    public static Bomb Create(string start, string unit, bool gzip)
    {
        var unitBytes = Encoding.UTF8.GetBytes(unit);
        var warm = Repeat(unitBytes, (Window / unitBytes.Length) + 1);
        var block = Repeat(unitBytes, (BlockBytes / unitBytes.Length) + 1);
        if (!gzip)
        {
            return new Bomb([.. Encoding.UTF8.GetBytes(start), .. warm], block, block.Length);
        }

        using var output = new MemoryStream();
        using var compressing = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        compressing.Write(Encoding.UTF8.GetBytes(start));
        compressing.Write(warm);
        compressing.Flush();
        var head = output.ToArray();
        compressing.Write(block);
        compressing.Flush();
        return new Bomb(head, output.ToArray()[head.Length..], block.Length);
    }

    /// <summary>Writes <see cref="Head"/>, then <see cref="Block"/> until the client stops reading or the server stops.</summary>
    public async Task SendAsync(Stream stream, CancellationToken stop)
    {
        await stream.WriteAsync(Head, stop);
        while (true)
        {
            await stream.WriteAsync(Block, stop);
        }
    }

    private static byte[] Repeat(byte[] unit, int times)
    {
        var bytes = new byte[unit.Length * times];
        for (var i = 0; i < times; i++)
        {
            unit.CopyTo(bytes, i * unit.Length);
        }

        return bytes;
    }
}
