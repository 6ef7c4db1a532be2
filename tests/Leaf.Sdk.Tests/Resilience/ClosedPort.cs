using System.Net;
using System.Net.Sockets;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// A loopback port that refuses connections for as long as this lives: a socket holds it bound but never listens. A
/// port that was merely free a moment ago could be taken meanwhile by another test's server running in parallel.
/// </summary>
internal sealed class ClosedPort : IDisposable
{
    private readonly Socket _holder = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_holder.LocalEndPoint!).Port}");
    }

    public Uri Url { get; }

    public void Dispose() => _holder.Dispose();
}
