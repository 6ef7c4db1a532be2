using System.Net;
using System.Net.Sockets;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Chaos;

/// <summary>How a connection ends once its reply is written.</summary>
internal enum ReplyEnd
{
    /// <summary>An orderly close (FIN).</summary>
    Close,

    /// <summary>A reset (RST, linger 0): anything unsent is discarded.</summary>
    Reset,

    /// <summary>Held open, nothing more sent, until the client closes it (a stalled answer).</summary>
    Stall,

    /// <summary>Kept alive: the connection waits for the next request (or the client's close).</summary>
    KeepAlive,
}

/// <summary>The bytes a connection gets for its one request, and how it then ends.</summary>
internal sealed record ChaosReply(byte[] Bytes, ReplyEnd End);

/// <summary>
/// A bare TCP server serving one scripted reply per connection, like <c>RawHttpServer</c>, that also counts what the
/// chaos test needs to judge the client: connections still open, and connections held in a stall.
/// </summary>
internal sealed class ChaosServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Func<int, ChaosReply> _script;
    private Func<int, ChaosReply> _loginScript = static _ => throw new InvalidOperationException("No login expected.");
    private int _logins;
    private int _requests;
    private int _open;
    private int _holding;
    private long _holdingSince;
    private int _stalls;

    /// <param name="script">For the n-th request (from 1), what to answer.</param>
    public ChaosServer(Func<int, ChaosReply> script)
    {
        _script = script;
        _listener.Start();
        _ = AcceptLoop.RunAsync(_listener, connection =>
        {
            Interlocked.Increment(ref _open);
            _ = ServeAsync(connection);
        }, _stop.Token);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Replaces the script and starts counting requests from 1 again.</summary>
    public void Restart(Func<int, ChaosReply> script, Func<int, ChaosReply>? login = null)
    {
        Volatile.Write(ref _script, script);
        Volatile.Write(ref _requests, 0);
        if (login is not null)
        {
            Volatile.Write(ref _loginScript, login);
        }

        Volatile.Write(ref _logins, 0);
    }

    /// <summary>
    /// Awaited after a reply that ends the connection is written, before the server closes it: a test widens the
    /// window in which the client may take that connection from its pool for its next request.
    /// </summary>
    public Func<ChaosReply, Task>? BeforeClose { get; set; }

    /// <summary>Login requests (POST /api/authenticate) read, bodies included.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>Sync Summary request heads read.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Connections accepted and not yet closed by either side.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Connections whose stalled reply is written and held.</summary>
    public int Holding => Volatile.Read(ref _holding);

    /// <summary>When (Environment.TickCount64) the latest stall began.</summary>
    public long HoldingSince => Volatile.Read(ref _holdingSince);

    /// <summary>Stalls begun so far; a driver moves the clock once per stall.</summary>
    public int Stalls => Volatile.Read(ref _stalls);

    /// <summary>
    /// How long (real time) a connection may stay open after its call: longer than .NET's drain of an answer disposed
    /// unread (SocketsHttpHandler.ResponseDrainTimeout, 2 s), which keeps the connection of an attempt that timed out
    /// between two reads of its body open until the drain gives up. A bound of exactly the drain time failed on a loaded
    /// machine (<see cref="ChaosRaceTests"/>).
    /// </summary>
    public static readonly TimeSpan CloseWait = DrainTimeout() + TimeSpan.FromSeconds(3);

    private static TimeSpan DrainTimeout()
    {
        using var handler = new SocketsHttpHandler();
        return handler.ResponseDrainTimeout;
    }

    /// <summary>Waits (real time, at most <see cref="CloseWait"/>) until no connection is open; null then, else how many still are.</summary>
    public async Task<int?> WaitAllClosedAsync() => await WaitUntilNoneAsync(() => Open) is > 0 and var open ? open : null;

    /// <summary>Waits (real time, at most <see cref="CloseWait"/>) until no stalled connection is held; how many still are.</summary>
    public Task<int> WaitNoneHeldAsync() => WaitUntilNoneAsync(() => Holding);

    private static async Task<int> WaitUntilNoneAsync(Func<int> count)
    {
        var deadline = Environment.TickCount64 + (long)CloseWait.TotalMilliseconds;
        while (count() > 0 && Environment.TickCount64 < deadline)
        {
            await Task.Delay(2);
        }

        return count();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task ServeAsync(TcpClient connection)
    {
        var held = false;
        try
        {
            using (connection)
            {
                var stream = connection.GetStream();
                ChaosReply reply;
                do
                {
                    var request = await ReadRequestAsync(stream);
                    if (request is null)
                    {
                        return;
                    }

                    reply = request == "login"
                        ? Volatile.Read(ref _loginScript)(Interlocked.Increment(ref _logins))
                        : Volatile.Read(ref _script)(Interlocked.Increment(ref _requests));
                    if (reply.Bytes.Length > 0)
                    {
                        await stream.WriteAsync(reply.Bytes, _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                    }
                }
                while (reply.End == ReplyEnd.KeepAlive);

                if (BeforeClose is { } beforeClose)
                {
                    await beforeClose(reply);
                }

                switch (reply.End)
                {
                    case ReplyEnd.Stall:
                        held = true;
                        Volatile.Write(ref _holdingSince, Environment.TickCount64);
                        Interlocked.Increment(ref _holding);
                        Interlocked.Increment(ref _stalls);
                        // Until the client gives up (it closes the socket) or the server stops.
                        while (await stream.ReadAsync(new byte[256], _stop.Token) > 0)
                        {
                        }

                        connection.Client.Shutdown(SocketShutdown.Both);
                        break;
                    case ReplyEnd.Reset:
                        connection.Client.LingerState = new LingerOption(true, 0);
                        connection.Client.Close();
                        break;
                    default:
                        connection.Client.Shutdown(SocketShutdown.Both);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client gave up first (a huge header is cut off by the client, a stall by its time-out).
        }
        finally
        {
            if (held)
            {
                Interlocked.Decrement(ref _holding);
            }

            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>
    /// Reads one request, its body included (a reply sent over an unread body would go out with a reset); "login" for
    /// the login, "resources" for anything else, null when the client closed the connection first.
    /// </summary>
    private async Task<string?> ReadRequestAsync(NetworkStream stream)
    {
        if (await RequestHead.ReadAsync(stream, _stop.Token) is not { Head: var head, Buffer: var buffer, Total: var total, BodyStart: var bodyStart })
        {
            return null;
        }

        Func<bool> complete = () => true;
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            complete = () => buffer.AsSpan(bodyStart, total - bodyStart).IndexOf("0\r\n\r\n"u8) >= 0;
        }
        else if (System.Text.RegularExpressions.Regex.Match(head, @"Content-Length: *(\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase) is { Success: true } length)
        {
            var needed = bodyStart + int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            complete = () => total >= needed;
        }

        while (!complete())
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), _stop.Token);
            if (read == 0)
            {
                return null;
            }

            total += read;
        }

        return head.StartsWith("POST /api/authenticate", StringComparison.Ordinal) ? "login" : "resources";
    }
}
