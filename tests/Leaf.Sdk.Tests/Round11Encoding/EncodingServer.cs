using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round11Encoding;

/// <summary>One request as <see cref="EncodingServer"/> read it.</summary>
/// <param name="Head">The request line and headers.</param>
/// <param name="Login">Whether it is the login (POST /api/authenticate).</param>
/// <param name="Number">Its number among requests of its kind (logins, or Sync Summary calls), from 1.</param>
internal sealed record EncodingRequest(string Head, bool Login, int Number)
{
    /// <summary>The value of <paramref name="name"/> in the head, or null.</summary>
    public string? Header(string name) => Head.Split("\r\n")
        .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
        .Select(line => line[(name.Length + 1)..].Trim())
        .FirstOrDefault();
}

/// <summary>
/// A loopback TCP server on a free port whose answers a test writes itself, byte by byte, onto the connection: compressed
/// bodies, broken ones, and bodies generated as they are sent (a decompression bomb is never held in memory). Reads each
/// request with its body; keeps the connection for the next request when the answer says so. Counts connections, so a
/// test can tell whether the client reused one.
/// </summary>
internal sealed class EncodingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<EncodingRequest, Stream, CancellationToken, Task<bool>> _answer;
    private int _connections;
    private int _logins;
    private int _resources;

    /// <param name="answer">Writes the answer to a request; returns whether to keep the connection for another request.</param>
    public EncodingServer(Func<EncodingRequest, Stream, CancellationToken, Task<bool>> answer)
    {
        _answer = answer;
        _listener.Start();
        _ = AcceptLoop.RunAsync(_listener, connection => _ = ServeAsync(connection), _stop.Token);
    }

    /// <summary>A server that writes the same bytes for every Sync Summary request and keeps the connection.</summary>
    public static EncodingServer Always(byte[] answer) =>
        new(async (_, stream, stop) =>
        {
            await stream.WriteAsync(answer, stop);
            return true;
        });

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Sync Summary requests read so far.</summary>
    public int Resources => Volatile.Read(ref _resources);

    /// <summary>Logins read so far.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>Every request read, in order.</summary>
    public ConcurrentQueue<EncodingRequest> Requests { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task ServeAsync(TcpClient connection)
    {
        Interlocked.Increment(ref _connections);
        using (connection)
        {
            try
            {
                var stream = connection.GetStream();
                bool keep;
                do
                {
                    if (await RequestHead.ReadAsync(stream, _stop.Token) is not { } head || !await head.SkipBodyAsync(stream, _stop.Token))
                    {
                        return;
                    }

                    var login = head.Head.StartsWith("POST /api/authenticate", StringComparison.Ordinal);
                    var request = new EncodingRequest(head.Head, login, Interlocked.Increment(ref login ? ref _logins : ref _resources));
                    Requests.Enqueue(request);
                    keep = await _answer(request, stream, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
                while (keep);

                connection.Client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client gave up first (a bomb it refused, a body it stopped reading), or the test ended.
            }
        }
    }
}
