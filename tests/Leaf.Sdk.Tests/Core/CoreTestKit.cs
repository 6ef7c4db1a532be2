using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WireMock;
using WireMock.Server;

namespace Leaf.Sdk.Tests.Core;

/// <summary>Small helpers for the core suite: reading WireMock's request log and shaping common assertions.</summary>
internal static class CoreTestKit
{
    /// <summary>Every request the stub received, oldest first.</summary>
    public static IReadOnlyList<IRequestMessage> Requests(this WireMockServer server) =>
        [.. server.LogEntries.Select(e => e.RequestMessage).OfType<IRequestMessage>().OrderBy(r => r.DateTime)];

    /// <summary>The single request the stub received; fails the test when there were more or none.</summary>
    public static IRequestMessage SingleRequest(this WireMockServer server)
    {
        var requests = server.Requests();
        Assert.That(requests, Has.Count.EqualTo(1), "the stub should have received exactly one request");
        return requests[0];
    }

    /// <summary>A header's values, looked up ignoring case as HTTP does; empty when absent.</summary>
    public static IReadOnlyList<string> Header(this IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.ToList() ?? [];

    /// <summary>A query parameter's values; empty when absent.</summary>
    public static IReadOnlyList<string> QueryValues(this IRequestMessage request, string name) =>
        request.Query?.FirstOrDefault(q => string.Equals(q.Key, name, StringComparison.Ordinal)).Value?.ToList() ?? [];

    /// <summary>A loopback port nothing listens on: bound, read, then released.</summary>
    public static int ClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Asserts the exception message is a single line that a support engineer can read.</summary>
    public static void AssertOneLine(Exception exception)
    {
        Assert.That(exception.Message, Does.Not.Contain('\n').And.Not.Contain('\r'), "the message should be one line");
        Assert.That(exception.Message, Is.Not.Empty);
    }

    /// <summary>A NUnit constraint for "the call throws exactly <typeparamref name="T"/>", returning it for more checks.</summary>
    public static async Task<T> ThrowsExactly<T>(Func<Task> call)
        where T : Exception
    {
        try
        {
            await call();
        }
        catch (Exception ex)
        {
            Assert.That(ex, Is.TypeOf<T>(), () => $"expected {typeof(T).Name} but got {ex}");
            return (T)ex;
        }

        Assert.Fail($"expected {typeof(T).Name} but the call succeeded");
        throw new UnreachableException();
    }

    /// <summary>"The call throws exactly <typeparamref name="T"/> or exactly <typeparamref name="TOr"/>".</summary>
    public static async Task<T> ThrowsExactly<T, TOr>(Func<Task> call)
        where T : Exception
        where TOr : T
    {
        try
        {
            await call();
        }
        catch (Exception ex)
        {
            Assert.That(ex, Is.TypeOf<T>().Or.TypeOf<TOr>(), () => $"expected {typeof(T).Name} or {typeof(TOr).Name} but got {ex}");
            return (T)ex;
        }

        Assert.Fail($"expected {typeof(T).Name} but the call succeeded");
        throw new UnreachableException();
    }
}
