using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Cancel;

/// <summary>Where in a call the caller cancels.</summary>
public enum Stage
{
    /// <summary>The token was cancelled before the call.</summary>
    BeforeTheCall,

    /// <summary>The first login (or the token source's first token) is on its way.</summary>
    FirstToken,

    /// <summary>Waiting on a login another caller started.</summary>
    SharedLogin,

    /// <summary>Leaf answered 401 and the renewal is on its way.</summary>
    RenewalAfter401,

    /// <summary>The request is sent and no status line has come back.</summary>
    ResponseHeaders,

    /// <summary>Reading a small body with a Content-Length (the whole-body path).</summary>
    SmallBody,

    /// <summary>Reading a body past the whole-body limit (the streamed path).</summary>
    LargeBody,

    /// <summary>Reading a chunked body.</summary>
    ChunkedBody,

    /// <summary>Reading the start of an error's body (a 404's).</summary>
    ErrorBody,

    /// <summary>Backing off after a 503.</summary>
    BackOff,

    /// <summary>Waiting out a 503's Retry-After.</summary>
    RetryAfter,
}

/// <summary>
/// The caller's cancellation at every stage of a call, for both clients and every way of getting a token: an
/// <see cref="OperationCanceledException"/> carrying the caller's token, at once (the clock that times every wait never
/// moves), with no failure logged, no connection left open, the breaker none the wiser, and the next call working.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class CancelEveryStageTests
{
    private const int Repeats = 12;

    [TestCaseSource(nameof(EveryStage))]
    public async Task Cancelling_stops_the_call_at_once_and_leaves_the_client_as_it_was(ClientKind kind, Auth auth, Stage stage)
    {
        using var w = new CancelWorld(kind, auth);
        w.Server.Resources = n => n == 1 ? FirstAnswer(stage) : Answer.Ok;
        using var cts = new CancellationTokenSource();
        if (stage == Stage.BeforeTheCall)
        {
            await cts.CancelAsync();
        }

        var other = await ArrangeAsync(w, stage);
        var call = w.Client.GetResourcesAsync(cancellationToken: cts.Token);
        await ReachedAsync(w, stage);
        await cts.CancelAsync();
        var cancelled = await Expect.Cancelled(call.WaitAsync(CancelWorld.RealTimeBound));
        var complaints = w.Complaints;
        var undisposed = w.Ledger.Undisposed;

        // What a login or token source still holds goes now; the caller that shares the login gets its token.
        w.Release();
        var shared = other is null ? null : await other.WaitAsync(CancelWorld.RealTimeBound);
        var next = await w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound);
        await w.AllConnectionsClosedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(cancelled, Is.Not.InstanceOf<LeafApiException>());
            Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token), "the exception carries the caller's token");
            Assert.That(call.IsCanceled, Is.True);
            Assert.That(w.Time.GetUtcNow(), Is.EqualTo(CancelWorld.Epoch), "the call ended without the clock moving: it waited out nothing");
            Assert.That(complaints, Is.Empty, "a cancelled call is no failure: " + CancelWorld.Describe(complaints));
            Assert.That(w.Complaints, Is.Empty, "nothing failed afterwards either: " + CancelWorld.Describe(w.Complaints));
            Assert.That(next.Summaries, Has.Count.EqualTo(1), "the next call works");
            Assert.That(undisposed, Is.Zero, "every answer that came back before the cancellation was disposed by the time it surfaced");
            Assert.That(w.Ledger.Undisposed, Is.Zero, "every answer was disposed");
            Assert.That(w.Ledger.Created, kind == ClientKind.DependencyInjection ? Is.Positive : Is.Zero, "the DI client's answers were counted");
            Assert.That(shared?.Summaries, stage == Stage.SharedLogin ? Has.Count.EqualTo(1) : Is.Null, "the caller sharing the login got its token");
            if (auth == Auth.Login)
            {
                Assert.That(w.Server.LoginRequests, Is.EqualTo(stage == Stage.RenewalAfter401 ? 2 : 1), "a cancelled caller's login went on and was reused");
            }
        });
    }

    // If the breaker took a cancelled attempt for a failure, a dozen of them (past its minimum throughput, all failed)
    // would open it, and the next call would be refused without reaching Leaf.
    [TestCaseSource(nameof(StagesOnTheWire))]
    public async Task A_dozen_cancelled_calls_do_not_open_the_circuit(ClientKind kind, Auth auth, Stage stage)
    {
        using var w = new CancelWorld(kind, auth, o => o.MaxRetries = 0);
        w.Server.Resources = n => n <= Repeats ? FirstAnswer(stage) : Answer.Ok;
        await ArrangeAsync(w, stage);

        for (var i = 0; i < Repeats; i++)
        {
            using var cts = new CancellationTokenSource();
            var call = w.Client.GetResourcesAsync(cancellationToken: cts.Token);
            await ReachedAsync(w, stage, i + 1);
            await cts.CancelAsync();
            var cancelled = await Expect.Cancelled(call.WaitAsync(CancelWorld.RealTimeBound));
            Assert.That(cancelled.CancellationToken, Is.EqualTo(cts.Token));
        }

        w.Release();
        w.Server.Resources = _ => Answer.Ok;
        var next = await w.Client.GetResourcesAsync().WaitAsync(CancelWorld.RealTimeBound);

        Assert.Multiple(() =>
        {
            Assert.That(next.Summaries, Has.Count.EqualTo(1), "the circuit stayed closed");
            Assert.That(w.Complaints, Is.Empty, CancelWorld.Describe(w.Complaints));
        });
    }

    private static IEnumerable<TestCaseData> EveryStage() => Cases(Enum.GetValues<Stage>());

    // A 503 before the cancellation is a failure the breaker rightly counts, so the waits after one are left out.
    private static IEnumerable<TestCaseData> StagesOnTheWire() =>
        Cases([Stage.FirstToken, Stage.RenewalAfter401, Stage.ResponseHeaders, Stage.SmallBody, Stage.LargeBody, Stage.ChunkedBody, Stage.ErrorBody]);

    private static IEnumerable<TestCaseData> Cases(Stage[] stages) =>
        from kind in Enum.GetValues<ClientKind>()
        from auth in Enum.GetValues<Auth>()
        from stage in stages
        where Applies(auth, stage)
        select new TestCaseData(kind, auth, stage);

    // A static token has nothing to wait for and nothing to renew; only the SDK's own login is shared.
    private static bool Applies(Auth auth, Stage stage) => stage switch
    {
        Stage.FirstToken or Stage.RenewalAfter401 => auth != Auth.StaticToken,
        Stage.SharedLogin => auth == Auth.Login,
        _ => true,
    };

    internal static Answer FirstAnswer(Stage stage) => stage switch
    {
        Stage.RenewalAfter401 => Answer.Unauthorized,
        Stage.ResponseHeaders => Answer.HoldHeaders,
        Stage.SmallBody => Answer.SmallBodyStall,
        Stage.LargeBody => Answer.LargeBodyStall,
        Stage.ChunkedBody => Answer.ChunkedStall,
        Stage.ErrorBody => Answer.ErrorBodyStall,
        Stage.BackOff => Answer.Unavailable,
        Stage.RetryAfter => Answer.RetryAfter,
        _ => Answer.Ok,
    };

    /// <summary>Holds what the stage needs held; for <see cref="Stage.SharedLogin"/>, starts the caller that begins the login.</summary>
    internal static async Task<Task<SyncSummaryResponse>?> ArrangeAsync(CancelWorld w, Stage stage)
    {
        switch (stage)
        {
            case Stage.FirstToken:
                w.Server.HoldLoginsFrom = 1;
                w.Source.HoldFirst = true;
                return null;
            case Stage.RenewalAfter401:
                w.Server.HoldLoginsFrom = 2;
                w.Source.HoldRenewal = true;
                return null;
            case Stage.SharedLogin:
                w.Server.HoldLoginsFrom = 1;
                var starter = w.Client.GetResourcesAsync();
                await ResilienceHarness.WaitUntilAsync(() => w.Server.LoginRequests == 1, "the first caller's login is on its way");
                return starter;
            default:
                return null;
        }
    }

    /// <summary>Waits until the <paramref name="nth"/> cancellable call has reached the stage.</summary>
    internal static async Task ReachedAsync(CancelWorld w, Stage stage, int nth = 1)
    {
        switch (stage)
        {
            case Stage.BeforeTheCall:
                return;
            case Stage.FirstToken:
                await ResilienceHarness.WaitUntilAsync(
                    () => w.Auth == Auth.Login ? w.Server.LoginRequests == 1 : w.Source.Pending == 1 && w.Source.Requests == nth,
                    "the first token is on its way");
                return;
            case Stage.SharedLogin:
                // The joining caller's two time-outs start before it asks for the token (the first caller's two, and its
                // login's two, are running already); once they have, it is at most a few instructions from the wait.
                await ResilienceHarness.WaitUntilAsync(() => w.Time.TimersCreated >= 6, "the second caller is under way");
                await Task.Delay(50);
                return;
            case Stage.RenewalAfter401:
                await ResilienceHarness.WaitUntilAsync(
                    () => w.Server.ResourceRequests == nth && (w.Auth == Auth.Login ? w.Server.LoginRequests == 2 : w.Source.Pending == 1 && w.Source.Renewals == nth),
                    "the renewal after the 401 is on its way");
                return;
            case Stage.ResponseHeaders:
                await ResilienceHarness.WaitUntilAsync(() => w.Server.ResourceRequests == nth, "the request reached the server");
                return;
            case Stage.SmallBody or Stage.LargeBody or Stage.ChunkedBody or Stage.ErrorBody:
                await ResilienceHarness.WaitUntilAsync(() => w.Server.BodiesStarted == nth && w.Answered == nth, "the client is reading the body");
                return;
            default:
                await ResilienceHarness.WaitUntilAsync(() => w.Retries == nth, "the call is waiting before its retry");
                return;
        }
    }
}
