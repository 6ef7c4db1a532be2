using System.Text;
using Leaf.Sdk.Tests.Chaos;
using Leaf.Sdk.Tests.Round6Lifetime;
using Leaf.Sdk.Tests.Round9Cancel;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round10Leaks;

/// <summary>
/// Failed calls over real sockets, for both clients: an answer the SDK lets go of gives its connection back to the
/// pool, so hundreds of calls answered with a complete error (the connection kept alive) go over one connection, not one
/// each; and a connection the SDK gives up on (a stalled answer) is closed, not left open.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SocketLeakTests
{
    private const string Problem = """{"type":"about:blank","title":"Trouble","status":503,"detail":"Simulated failure"}""";

    public enum KeptAlive
    {
        ServiceUnavailable503,
        NotFound404,
        Unauthorized401,
        EmptyBody200,
        Html200,

        /// <summary>A 503 whose problem body runs past 16 KB: the SDK reads its start, and the rest is drained.</summary>
        LargeErrorBody503,
    }

    [Test]
    public async Task Hundreds_of_calls_failing_with_a_complete_answer_reuse_one_connection(
        [Values] ClientKind kind, [Values(Auth.StaticToken, Auth.Login)] Auth auth, [Values] KeptAlive answer)
    {
        const int Calls = 200;
        var reply = Reply(answer);
        using var server = new ChaosServer(_ => reply);
        server.Restart(_ => reply, _ => LoginFaults.Reply(LoginFault.Ok, keepAlive: true));
        var clock = new ActiveTimerClock(LeakWorld.Epoch);
        using var client = TestClient.Create(kind, Options(server, auth), clock);
        using var appLifetime = new CancellationTokenSource();
        var outcomes = new Dictionary<string, int>();
        var mostOpen = 0;

        for (var i = 0; i < Calls; i++)
        {
            var outcome = await LeakWorld.OutcomeOf(client.Client.GetResourcesAsync(cancellationToken: appLifetime.Token));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            mostOpen = Math.Max(mostOpen, server.Open);
        }

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Keys, Has.None.EqualTo("ok").And.None.EqualTo("still running"));
            Assert.That(server.Requests, Is.GreaterThanOrEqualTo(Calls));

            // One for the calls and, for the DI client, one for its login client's own pool.
            Assert.That(mostOpen, Is.LessThanOrEqualTo(2), "answers not let go of keep their connections out of the pool");
            Assert.That(clock.ActiveTimers, Is.Zero, "timers still scheduled");
            Assert.That(Registrations.On(appLifetime), Is.Empty, "registrations left on the caller's token");
        });
    }

    public enum Stalled
    {
        BeforeTheStatusLine,
        SmallBody,
        LargeBody,
        ErrorBody,
    }

    public enum EndedBy
    {
        AttemptTimeout,
        Caller,
    }

    [Test]
    public async Task Connections_the_client_gives_up_on_are_all_closed([Values] ClientKind kind, [Values] Stalled stalled, [Values] EndedBy endedBy)
    {
        const int Calls = 60;
        var reply = WireFaults.Reply(stalled switch
        {
            Stalled.BeforeTheStatusLine => WireFault.StalledBeforeAnswer,
            Stalled.SmallBody => WireFault.StalledBody,
            Stalled.LargeBody => WireFault.LargeStalled,
            _ => WireFault.StalledErrorBody,
        });
        using var server = new ChaosServer(_ => reply);
        var clock = new ActiveTimerClock(LeakWorld.Epoch);
        // One attempt a call: the test moves the clock once per stall.
        using var client = TestClient.Create(kind, Options(server, Auth.StaticToken, maxRetries: 0), clock);
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < Calls; i++)
        {
            using var cts = new CancellationTokenSource();
            var stalls = server.Stalls;
            var call = client.Client.GetResourcesAsync(cancellationToken: cts.Token);
            await LeakWorld.UntilAsync(() => server.Stalls > stalls, "the answer stalls");
            if (endedBy == EndedBy.Caller)
            {
                await cts.CancelAsync();
            }
            else
            {
                clock.Advance(LeakWorld.AttemptTimeout);
            }

            var outcome = await LeakWorld.OutcomeOf(call);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        var open = await server.WaitAllClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Keys, Has.None.EqualTo("ok").And.None.EqualTo("still running"));
            Assert.That(open, Is.Null, "connections the client gave up on and left open");
            Assert.That(clock.ActiveTimers, Is.Zero, "timers still scheduled");
        });
    }

    private static LeafClientOptions Options(ChaosServer server, Auth auth, int maxRetries = 2) => new()
    {
        BaseAddress = server.Url,
        AccessToken = auth == Auth.StaticToken ? "static-token" : null,
        Username = auth == Auth.Login ? Authentication.AuthStub.Username : null,
        Password = auth == Auth.Login ? Authentication.AuthStub.Password : null,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.Zero,
        AttemptTimeout = LeakWorld.AttemptTimeout,
        TotalTimeout = TimeSpan.FromSeconds(60),
        EnableCircuitBreaker = false,
    };

    private static ChaosReply Reply(KeptAlive answer) => answer switch
    {
        KeptAlive.ServiceUnavailable503 => WireFaults.Reply(WireFault.ServiceUnavailable, keepAlive: true),
        KeptAlive.NotFound404 => WireFaults.Reply(WireFault.NotFound, keepAlive: true),
        KeptAlive.EmptyBody200 => WireFaults.Reply(WireFault.EmptyBody, keepAlive: true),
        KeptAlive.Unauthorized401 => Whole("401 Unauthorized", "application/json", LeafJson.Unauthorized401),
        KeptAlive.Html200 => Whole("200 OK", "text/html", "<!DOCTYPE html><html><body>Gateway says hello</body></html>"),
        _ => Whole("503 Service Unavailable", "application/problem+json", Problem[..^1] + ",\"trace\":\"" + new string('x', 20 * 1024) + "\"}"),
    };

    private static ChaosReply Whole(string status, string contentType, string body) =>
        new(Encoding.UTF8.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}"), ReplyEnd.KeepAlive);
}
