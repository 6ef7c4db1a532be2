using System.Net;
using System.Net.Sockets;
using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// A bare TCP listener for the transport faults WireMock.Net cannot make (its EMPTY_RESPONSE and
/// MALFORMED_RESPONSE_CHUNK faults still send a well-framed 200): a connection closed with no answer at all, and a
/// chunked body that breaks off, a connection reset. Every connection serves one request and is then closed, or reset.
/// </summary>
internal sealed class RawHttpServer : IDisposable
{
    /// <summary>Leaf's documented example as a complete HTTP/1.1 answer.</summary>
    public static readonly byte[] Ok = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(TestSupport.LeafJson.DocumentedExample)}\r\nConnection: close\r\n\r\n{TestSupport.LeafJson.DocumentedExample}");

    /// <summary>A 200 whose headers promise a body that stops after a few bytes.</summary>
    public static readonly byte[] StalledBody = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 300\r\n\r\n{\"message\":\"SUCC");

    /// <summary>A 200's status line and headers, promising a body of which no byte follows.</summary>
    public static readonly byte[] HeadersOnly = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 300\r\n\r\n");

    /// <summary>A 503 whose headers promise a body that never comes.</summary>
    public static readonly byte[] ErrorHeadersOnly = Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"title\":");

    /// <summary>Headers, the start of a chunked body, a chunk header that is not hexadecimal, then the connection closes.</summary>
    public static readonly byte[] MalformedChunk = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"message\":\"SUCC\r\nzz\r\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int, byte[]?> _reply;
    private readonly bool _stall;
    private readonly Func<int, bool> _reset;
    private int _requests;

    /// <param name="reply">For the n-th request (from 1), the bytes to send before closing; null closes at once.</param>
    /// <param name="stallAfterReply">Keep the connection open after the reply, sending nothing more (a stalled body).</param>
    /// <param name="reset">
    /// For the n-th request (from 1), whether to end the connection with a reset (RST) after the reply instead of an
    /// orderly close; with a null reply, the reset comes before any byte of an answer.
    /// </param>
    public RawHttpServer(Func<int, byte[]?> reply, bool stallAfterReply = false, Func<int, bool>? reset = null)
    {
        _reply = reply;
        _stall = stallAfterReply;
        _reset = reset ?? (static _ => false);
        _listener.Start();
        _ = AcceptLoop.RunAsync(_listener, connection => _ = ServeAsync(connection), _stop.Token);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int Requests => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task ServeAsync(TcpClient connection)
    {
        using (connection)
        {
            try
            {
                var stream = connection.GetStream();
                if (await RequestHead.ReadAsync(stream, _stop.Token) is null)
                {
                    return;
                }

                var n = Interlocked.Increment(ref _requests);
                var bytes = _reply(n);
                if (bytes is not null)
                {
                    await stream.WriteAsync(bytes, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    if (_stall)
                    {
                        // Until the client gives up (it closes the socket) or the server stops.
                        _ = await stream.ReadAsync(new byte[1], _stop.Token);
                    }
                }

                if (_reset(n))
                {
                    // A zero linger time makes Close send RST at once, discarding anything unsent: a reset, not a close.
                    connection.Client.LingerState = new LingerOption(true, 0);
                    connection.Client.Close();
                    return;
                }

                connection.Client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client gave up first; nothing to serve.
            }
        }
    }
}
