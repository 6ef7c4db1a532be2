using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round8Requests;

/// <summary>One request as it arrived on the wire: the request line, the header lines in order, the body bytes.</summary>
internal sealed record WireRequest(int Connection, string RequestLine, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string Method => RequestLine.Split(' ')[0];

    public string Target => RequestLine.Split(' ')[1];

    public string Version => RequestLine.Split(' ')[2];

    /// <summary>Every value of the header <paramref name="name"/>, in order (a header sent twice shows twice).</summary>
    public IReadOnlyList<string> All(string name) =>
        [.. Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    public string? One(string name) => All(name).SingleOrDefault();

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A keep-alive HTTP/1.1 server on a bare socket that records each request exactly as the client wrote it (WireMock
/// normalizes the path and merges headers), and answers from a script.
/// </summary>
internal sealed class WireRecorder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<WireRequest, string> _answer;
    private readonly ConcurrentQueue<WireRequest> _requests = new();
    private int _connections;

    /// <param name="answer">The complete answer (status line, headers, body) for each request.</param>
    /// <param name="address">Where to listen; IPv4 loopback unless given.</param>
    public WireRecorder(Func<WireRequest, string> answer, IPAddress? address = null)
    {
        _answer = answer;
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoop.RunAsync(_listener, connection => _ = ServeAsync(connection, Interlocked.Increment(ref _connections)), _stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<WireRequest> Requests => [.. _requests];

    /// <summary>A 200 with <paramref name="json"/>, kept alive.</summary>
    public static string Json(string json, int status = 200, string reason = "OK", string extraHeaders = "") =>
        $"HTTP/1.1 {status.ToString(CultureInfo.InvariantCulture)} {reason}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json).ToString(CultureInfo.InvariantCulture)}\r\n{extraHeaders}\r\n{json}";

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task ServeAsync(TcpClient connection, int number)
    {
        using (connection)
        {
            try
            {
                var stream = connection.GetStream();
                var pending = new List<byte>();
                while (true)
                {
                    var request = await ReadRequestAsync(stream, pending, number);
                    if (request is null)
                    {
                        return;
                    }

                    _requests.Enqueue(request);
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(_answer(request)), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client closed the connection.
            }
        }
    }

    private async Task<WireRequest?> ReadRequestAsync(NetworkStream stream, List<byte> pending, int number)
    {
        int end;
        while ((end = IndexOf(pending, "\r\n\r\n"u8.ToArray())) < 0)
        {
            if (!await FillAsync(stream, pending))
            {
                return null;
            }
        }

        var head = Encoding.Latin1.GetString([.. pending.GetRange(0, end)]).Split("\r\n");
        pending.RemoveRange(0, end + 4);
        var headers = head.Skip(1)
            .Select(line => new KeyValuePair<string, string>(line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();
        var length = headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        var chunked = headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        var body = new List<byte>();
        if (length is not null)
        {
            var n = int.Parse(length, CultureInfo.InvariantCulture);
            while (pending.Count < n)
            {
                if (!await FillAsync(stream, pending))
                {
                    return null;
                }
            }

            body.AddRange(pending.GetRange(0, n));
            pending.RemoveRange(0, n);
        }
        else if (chunked)
        {
            while (true)
            {
                int lineEnd;
                while ((lineEnd = IndexOf(pending, "\r\n"u8.ToArray())) < 0)
                {
                    if (!await FillAsync(stream, pending))
                    {
                        return null;
                    }
                }

                var size = int.Parse(Encoding.ASCII.GetString([.. pending.GetRange(0, lineEnd)]).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                while (pending.Count < lineEnd + 2 + size + 2)
                {
                    if (!await FillAsync(stream, pending))
                    {
                        return null;
                    }
                }

                body.AddRange(pending.GetRange(lineEnd + 2, size));
                pending.RemoveRange(0, lineEnd + 2 + size + 2);
                if (size == 0)
                {
                    break;
                }
            }
        }

        return new WireRequest(number, head[0], headers, [.. body]);
    }

    private async Task<bool> FillAsync(NetworkStream stream, List<byte> pending)
    {
        var buffer = new byte[8192];
        var read = await stream.ReadAsync(buffer, _stop.Token);
        if (read == 0)
        {
            return false;
        }

        pending.AddRange(buffer.AsSpan(0, read).ToArray());
        return true;
    }

    private static int IndexOf(List<byte> data, byte[] pattern)
    {
        for (var i = 0; i <= data.Count - pattern.Length; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = data[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
