using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Chaos;

/// <summary>
/// Replays, on purpose, the timing of rare failures of <see cref="ChaosTests"/> under CPU load, with the server slowed
/// where the race was, so the chaos suite's expectations hold however late the server closes a connection.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ChaosRaceTests
{
    /// <summary>
    /// Case 101 of seed 1127: a 401, then a renewal login whose attempts fail and are retried. The 401 came without
    /// "Connection: close" and the server closed the connection after it; when that close was late (a loaded machine),
    /// the standalone client, whose login shares the connection pool, sent the renewal login on that connection. A POST
    /// whose body went out is never resent by .NET, so that attempt failed without the server reading it: the SDK
    /// retried it as the network error it was, and the server saw one login fewer than the chaos test expects. The DI
    /// client's login has a pool of its own, where the same goes for a login answer the server closes late (the chunked
    /// one with a Content-Length) and the renewal login after it.
    /// </summary>
    [Test]
    public async Task Renewal_login_after_an_answer_whose_connection_closes_late_reaches_the_server_every_attempt(
        [Values] ClientKind kind, [Values] bool chunkedLogin)
    {
        using var world = new ChaosTests.World(kind, keepAlive: false, credentials: true);
        var lateCloses = 0;
        world.Server.BeforeClose = async reply =>
        {
            var text = Encoding.ASCII.GetString(reply.Bytes);
            if (text.StartsWith("HTTP/1.1 401", StringComparison.Ordinal) || text.Contains("Transfer-Encoding: chunked", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref lateCloses);
                await Task.Delay(300);
            }
        };

        // The first login gets the token; the 401 brings the renewal, which the login pipeline tries three times.
        var problem = await world.RunCaseAsync(
            [WireFault.Unauthorized, WireFault.Ok, WireFault.Ok, WireFault.Ok],
            [chunkedLogin ? LoginFault.OkChunkedWithContentLength : LoginFault.Ok, LoginFault.ContentLengthLargerThanBody, LoginFault.MalformedChunkSize, LoginFault.Unauthorized, LoginFault.Ok, LoginFault.Ok]);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(lateCloses, Is.GreaterThan(0), "the 401 was answered");
        });
    }
}
