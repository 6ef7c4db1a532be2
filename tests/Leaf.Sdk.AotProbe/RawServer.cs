using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Leaf.Sdk.AotProbe;

/// <summary>A request as the server read it.</summary>
internal sealed record Request(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Authorization => Headers.TryGetValue("authorization", out var value) ? value : null;

    public bool IsLogin => Target.EndsWith("/api/authenticate", StringComparison.Ordinal);
}

/// <summary>What the server does with one request.</summary>
internal abstract record Reply
{
    /// <summary>Writes these bytes, then closes the connection.</summary>
    public sealed record Bytes(byte[] Raw) : Reply;

    /// <summary>Never answers: holds the connection until the client gives up or the server stops.</summary>
    public sealed record Stall : Reply;

    /// <summary>Writes these bytes, then resets the connection (RST) mid-answer.</summary>
    public sealed record Reset(byte[] Raw) : Reply;
}

/// <summary>
/// A scripted HTTP/1.1 server on a raw socket (127.0.0.1, a free port): the whole transport runs as in an app, the
/// primary handler and its decompression included. Every answer closes its connection.
/// </summary>
internal sealed class RawServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Request, int, Reply> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly Task _loop;
    private int _count;

    /// <param name="script">The answer to a request, given it and its index (0 for the first request).</param>
    public RawServer(Func<Request, int, Reply> script)
    {
        _script = script;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public IReadOnlyList<Request> Requests => [.. _requests];

    public int Count(Func<Request, bool> which) => _requests.Count(which);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                _ = ServeAsync(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException
            || (ex is InvalidOperationException && _stop.IsCancellationRequested))
        {
            // DisposeAsync may stop the listener between one accept and the next ("Not listening", net_stopped under
            // AOT): that is the end of the loop, as the test project's AcceptLoop already knew. It failed a CI run.
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        try
        {
            var stream = new NetworkStream(socket, ownsSocket: false);
            var request = await ReadRequestAsync(stream).ConfigureAwait(false);
            if (request is null)
            {
                return;
            }

            _requests.Enqueue(request);
            var reply = _script(request, Interlocked.Increment(ref _count) - 1);
            switch (reply)
            {
                case Reply.Bytes bytes:
                    await stream.WriteAsync(bytes.Raw, _stop.Token).ConfigureAwait(false);
                    socket.Shutdown(SocketShutdown.Send);
                    break;
                case Reply.Reset reset:
                    await stream.WriteAsync(reset.Raw, _stop.Token).ConfigureAwait(false);
                    await Task.Delay(50, _stop.Token).ConfigureAwait(false);
                    socket.LingerState = new LingerOption(true, 0);
                    break;
                case Reply.Stall:
                    // Ends when the client closes the connection (a read of 0) or the server stops.
                    await stream.ReadAsync(new byte[1], _stop.Token).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task<Request?> ReadRequestAsync(Stream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one).ConfigureAwait(false) == 0)
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r')
            {
                break;
            }
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
        var start = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        var body = string.Empty;
        if (headers.TryGetValue("content-length", out var length) && int.Parse(length, CultureInfo.InvariantCulture) is > 0 and var n)
        {
            var buffer = new byte[n];
            await stream.ReadExactlyAsync(buffer).ConfigureAwait(false);
            body = Encoding.UTF8.GetString(buffer);
        }

        return new Request(start[0], start[1], headers, body);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    // --- answers ---

    public static Reply Json(int status, string body, params string[] headers) => Answer(status, Encoding.UTF8.GetBytes(body), ["Content-Type: application/json", .. headers]);

    public static Reply Html(int status, string body) => Answer(status, Encoding.UTF8.GetBytes(body), ["Content-Type: text/html"]);

    public static Reply Answer(int status, byte[] body, string[] headers, bool chunked = false) => new Reply.Bytes(Raw(status, body, headers, chunked));

    public static byte[] Raw(int status, byte[] body, string[] headers, bool chunked = false)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Reason(status)}\r\nConnection: close\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        if (!chunked)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
            return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
        }

        head.Append("Transfer-Encoding: chunked\r\n\r\n");
        using var all = new MemoryStream();
        all.Write(Encoding.ASCII.GetBytes(head.ToString()));
        for (var i = 0; i < body.Length; i += 1000)
        {
            var count = Math.Min(1000, body.Length - i);
            all.Write(Encoding.ASCII.GetBytes(count.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            all.Write(body, i, count);
            all.Write("\r\n"u8);
        }

        all.Write("0\r\n\r\n"u8);
        return all.ToArray();
    }

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
