using System.Net.Sockets;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>The accept loop of the raw-socket test servers (RawHttpServer, ChaosServer, WireRecorder).</summary>
internal static class AcceptLoop
{
    /// <summary>
    /// Hands every connection <paramref name="listener"/> accepts to <paramref name="serve"/> (which must not block),
    /// until <paramref name="stop"/> is cancelled and the listener stopped; ends quietly then, whatever the accept threw.
    /// </summary>
    public static async Task RunAsync(TcpListener listener, Action<TcpClient> serve, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient connection;
            try
            {
                connection = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException
                || (ex is InvalidOperationException && stop.IsCancellationRequested))
            {
                // Dispose may stop the listener between the loop's check and the next accept ("Not listening"); left
                // unobserved, that fault fails a test collecting unobserved exceptions (the chaos tests) at the time.
                return;
            }

            serve(connection);
        }
    }
}
