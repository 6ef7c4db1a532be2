using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Cancel;

/// <summary>How the server answers one Sync Summary request.</summary>
internal enum Answer
{
    /// <summary>Leaf's documented example, whole.</summary>
    Ok,

    /// <summary>401 with Leaf's problem body.</summary>
    Unauthorized,

    /// <summary>503, no Retry-After: the SDK backs off on its own schedule.</summary>
    Unavailable,

    /// <summary>503 with Retry-After: 30.</summary>
    RetryAfter,

    /// <summary>Nothing at all: the request waits for the status line until the client gives up.</summary>
    HoldHeaders,

    /// <summary>A 200 with a Content-Length of 300 (the whole-body path) and only its first bytes.</summary>
    SmallBodyStall,

    /// <summary>A 200 with a Content-Length past the whole-body limit (the streamed path) and only its first kilobytes.</summary>
    LargeBodyStall,

    /// <summary>A chunked 200 whose first chunk comes and no other.</summary>
    ChunkedStall,

    /// <summary>A 404 whose problem body starts and stalls.</summary>
    ErrorBodyStall,
}

/// <summary>
/// A bare HTTP/1.1 server for the cancellation tests: it answers the login and the Sync Summary as each test scripts,
/// holds an answer (or the rest of one) for as long as the client keeps the connection, and counts the connections
/// still open, so a test can tell that the client let go of every one it gave up on.
/// </summary>
internal sealed class CancelServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _loginRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _resources;
    private int _logins;
    private int _open;
    private int _bodiesStarted;

    public CancelServer()
    {
        _listener.Start();
        _ = AcceptLoop.RunAsync(_listener, connection => _ = ServeAsync(connection), _stop.Token);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>For the n-th Sync Summary request (from 1), how to answer it.</summary>
    public Func<int, Answer> Resources { get; set; } = static _ => Answer.Ok;

    /// <summary>The token the login hands out.</summary>
    public string LoginToken { get; set; } = "unset";

    /// <summary>
    /// The first login (counting from 1) that waits for <see cref="ReleaseLogins"/>, or for the client to give up, before
    /// it is answered; it and every later one wait. None by default.
    /// </summary>
    public int HoldLoginsFrom { get; set; } = int.MaxValue;

    public int ResourceRequests => Volatile.Read(ref _resources);

    public int LoginRequests => Volatile.Read(ref _logins);

    /// <summary>Answers whose status line and start of body went out, the rest held back.</summary>
    public int BodiesStarted => Volatile.Read(ref _bodiesStarted);

    /// <summary>Connections accepted and not yet closed (by the client, or by the server after a whole answer).</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Answers every held login, and those that come later, at once.</summary>
    public void ReleaseLogins()
    {
        HoldLoginsFrom = int.MaxValue;
        _loginRelease.TrySetResult();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task ServeAsync(TcpClient connection)
    {
        Interlocked.Increment(ref _open);
        try
        {
            using (connection)
            {
                var stream = connection.GetStream();
                var path = await ReadRequestAsync(stream);
                if (path is null)
                {
                    return;
                }

                if (path.StartsWith("/api/authenticate", StringComparison.Ordinal))
                {
                    if (Interlocked.Increment(ref _logins) >= HoldLoginsFrom && !await HeldUntilReleasedAsync(stream))
                    {
                        return;
                    }

                    await WriteAsync(stream, Whole("200 OK", $$"""{"id_token":"{{LoginToken}}"}"""));
                    return;
                }

                var n = Interlocked.Increment(ref _resources);
                switch (Resources(n))
                {
                    case Answer.Ok:
                        await WriteAsync(stream, Whole("200 OK", LeafJson.DocumentedExample));
                        return;
                    case Answer.Unauthorized:
                        await WriteAsync(stream, Whole("401 Unauthorized", LeafJson.Unauthorized401));
                        return;
                    case Answer.Unavailable:
                        await WriteAsync(stream, Whole("503 Service Unavailable", "{}"));
                        return;
                    case Answer.RetryAfter:
                        await WriteAsync(stream, Whole("503 Service Unavailable", "{}", "Retry-After: 30\r\n"));
                        return;
                    case Answer.HoldHeaders:
                        break;
                    case Answer.SmallBodyStall:
                        await WriteAsync(stream, Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 300\r\n\r\n{\"message\":\"SUCC"));
                        Interlocked.Increment(ref _bodiesStarted);
                        break;
                    case Answer.LargeBodyStall:
                        var prefix = LargePrefix();
                        await WriteAsync(stream, Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {prefix.Length * 8}\r\n\r\n{prefix}"));
                        Interlocked.Increment(ref _bodiesStarted);
                        break;
                    case Answer.ChunkedStall:
                        var chunk = LargePrefix();
                        await WriteAsync(stream, Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{chunk.Length:x}\r\n{chunk}\r\n"));
                        Interlocked.Increment(ref _bodiesStarted);
                        break;
                    case Answer.ErrorBodyStall:
                        await WriteAsync(stream, Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\nContent-Length: 200\r\n\r\n{\"title\":"));
                        Interlocked.Increment(ref _bodiesStarted);
                        break;
                }

                await UntilClientClosesAsync(stream);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client gave up first, or the server stopped.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    // Past the whole-body limit (16 KB): well-formed summaries, the array left open.
    private static string LargePrefix()
    {
        var summary = LeafJson.DocumentedExample[LeafJson.DocumentedExample.IndexOf("{\"provider\"", StringComparison.Ordinal)..^2];
        return "{\"message\":\"SUCCESS\",\"summaries\":[" + string.Join(",", Enumerable.Repeat(summary, 120)) + ",";
    }

    private static byte[] Whole(string status, string body, string extraHeaders = "") =>
        Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n{extraHeaders}\r\n{body}"));

    private async Task WriteAsync(NetworkStream stream, byte[] bytes)
    {
        await stream.WriteAsync(bytes, _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }

    private async Task<bool> HeldUntilReleasedAsync(NetworkStream stream)
    {
        var closed = UntilClientClosesAsync(stream);
        var released = _loginRelease.Task;
        return await Task.WhenAny(closed, released) == released;
    }

    private async Task UntilClientClosesAsync(NetworkStream stream)
    {
        var buffer = new byte[256];
        while (await stream.ReadAsync(buffer, _stop.Token) > 0)
        {
        }
    }

    // The request line's path, after reading the head and any body (unread bytes would make the close a reset).
    private async Task<string?> ReadRequestAsync(NetworkStream stream)
    {
        var head = await RequestHead.ReadAsync(stream, _stop.Token);
        return head is not null && await head.SkipBodyAsync(stream, _stop.Token) ? head.Target : null;
    }
}
