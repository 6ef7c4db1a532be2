using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round10bNetwork;

/// <summary>
/// A loopback TCP server on a free port that reads each request head (up to the blank line) and writes what
/// <c>answer</c> returns for it, then closes the connection when <c>answer</c> says so (or returns null: close without
/// a word). Records every request head it read, for the token checks; also serves as a proxy that answers itself.
/// </summary>
internal sealed class ScriptedServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, (string? Answer, bool Close)> _answer;
    private int _connections;

    public ScriptedServer(Func<string, (string? Answer, bool Close)> answer, IPAddress? address = null)
    {
        _answer = answer;
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoop.RunAsync(_listener, c => _ = ServeAsync(c), _stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url => ((IPEndPoint)_listener.LocalEndpoint).AddressFamily == AddressFamily.InterNetworkV6
        ? new($"http://[::1]:{Port}/")
        : new($"http://127.0.0.1:{Port}/");

    public int Connections => Volatile.Read(ref _connections);

    public ConcurrentQueue<string> Heads { get; } = new();

    private async Task ServeAsync(TcpClient connection)
    {
        Interlocked.Increment(ref _connections);
        using (connection)
        {
            try
            {
                var stream = connection.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII);
                while (!_stop.IsCancellationRequested)
                {
                    var head = new StringBuilder();
                    string? line;
                    while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
                    {
                        head.Append(line).Append('\n');
                    }

                    if (line is null)
                    {
                        return;
                    }

                    Heads.Enqueue(head.ToString());
                    var (answer, close) = _answer(head.ToString());
                    if (answer is null)
                    {
                        return;
                    }

                    await stream.WriteAsync(Encoding.UTF8.GetBytes(answer), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    if (close)
                    {
                        connection.Client.Shutdown(SocketShutdown.Send);
                        return;
                    }
                }
            }
            catch (Exception)
            {
                // The client gave up, or the test ended.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Dispose();
        _stop.Dispose();
    }
}
