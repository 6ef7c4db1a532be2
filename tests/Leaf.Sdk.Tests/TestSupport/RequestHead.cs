using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>
/// A request's head as the raw-socket test servers (ChaosServer, CancelServer) read it: the bytes up to the blank line,
/// and what of the body arrived with them, in a buffer the caller goes on reading the body into.
/// </summary>
/// <param name="Head">The request line and headers, without the blank line.</param>
/// <param name="Buffer">The bytes read so far, head first.</param>
/// <param name="Total">How many bytes of <paramref name="Buffer"/> are read.</param>
/// <param name="BodyStart">Where the body starts in <paramref name="Buffer"/>.</param>
internal sealed record RequestHead(string Head, byte[] Buffer, int Total, int BodyStart)
{
    /// <summary>Reads up to the end of the head; null when the client closed first or the head fills 16 KB.</summary>
    public static async Task<RequestHead?> ReadAsync(NetworkStream stream, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        var total = 0;
        int end;
        while ((end = buffer.AsSpan(0, total).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (total == buffer.Length)
            {
                return null;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(total), stop);
            if (read == 0)
            {
                return null;
            }

            total += read;
        }

        return new RequestHead(Encoding.ASCII.GetString(buffer, 0, end), buffer, total, end + 4);
    }

    /// <summary>The request line's target ("/path?query").</summary>
    public string Target => Head.Split(' ', 3)[1];

    /// <summary>
    /// Reads the rest of a body sent with a Content-Length (closing over unread bytes would reset the connection under
    /// the answer); false when the client closed first.
    /// </summary>
    public async Task<bool> SkipBodyAsync(NetworkStream stream, CancellationToken stop)
    {
        var length = Head.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var have = Total - BodyStart;
        while (have < length)
        {
            var read = await stream.ReadAsync(Buffer, stop);
            if (read == 0)
            {
                return false;
            }

            have += read;
        }

        return true;
    }
}
