using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Status;

/// <summary>
/// A bare-socket HTTP/1.1 server that answers any status line WireMock cannot send (1xx interim answers before the
/// final one, 101, codes past 599, a status line with no reason phrase). One request per connection, then a close.
/// </summary>
internal sealed class StatusServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, string> _answer;
    private readonly ConcurrentQueue<string> _requests = new();

    /// <param name="answer">For a request's path, the complete answer: status line, headers and body.</param>
    public StatusServer(Func<string, string> answer)
    {
        _answer = answer;
        _listener.Start();
        _ = AcceptLoop.RunAsync(_listener, connection => _ = ServeAsync(connection), _stop.Token);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>The request head of every request, in arrival order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public int Count(string path) => Requests.Count(r => r.Split(' ')[1].StartsWith(path, StringComparison.Ordinal));

    /// <summary>An answer with <paramref name="code"/> and <paramref name="reason"/>, closing the connection.</summary>
    public static string Answer(int code, string reason, string? contentType, string body, string extraHeaders = "") =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 {code} {reason}\r\n{(contentType is null ? string.Empty : $"Content-Type: {contentType}\r\n")}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n{extraHeaders}\r\n{body}");

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
                var head = await RequestHead.ReadAsync(stream, _stop.Token);
                if (head is null || !await head.SkipBodyAsync(stream, _stop.Token))
                {
                    return;
                }

                _requests.Enqueue(head.Head);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(_answer(head.Target)), _stop.Token);
                await stream.FlushAsync(_stop.Token);
                connection.Client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client gave up first.
            }
        }
    }
}
