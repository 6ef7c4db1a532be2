using Leaf.Sdk.Tests.Round9Cancel;

namespace Leaf.Sdk.Tests.Round10Leaks;

/// <summary>
/// What a failed call leaves behind, per client: after many calls that each fail the same way, with one long-lived
/// caller token (a background service's stopping token), no timer is still scheduled on the client's clock, no
/// registration is left on the caller's token, and every answer the transport handed up has been disposed. The DI
/// client over an in-memory Leaf (the standalone client's transport is sockets: <see cref="SocketLeakTests"/>).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FailedCallsLeaveNothingTests
{
    private static readonly Failure[] AnsweredFailures =
    [
        Failure.RequestTimeout408, Failure.TooManyRequests429, Failure.InternalServerError500, Failure.BadGateway502,
        Failure.ServiceUnavailable503, Failure.GatewayTimeout504, Failure.NotFound404, Failure.Unauthorized401,
        Failure.MalformedJson, Failure.HtmlBody, Failure.EmptyBody, Failure.LargeBodyBreaksOff, Failure.LargeErrorBodyBreaksOff,
        Failure.ConnectionReset, Failure.EmptyReply,
    ];

    [Test]
    public async Task Calls_failing_the_same_way_leave_no_timer_registration_or_answer_behind(
        [Values] Auth auth, [ValueSource(nameof(AnsweredFailures))] Failure failure)
    {
        // The large bodies cost a parse of 16 KB per attempt; the rest are cheap.
        var calls = failure is Failure.LargeBodyBreaksOff or Failure.LargeErrorBodyBreaksOff ? 300 : 1_000;
        using var w = new LeakWorld(auth);
        w.Leaf.Resources = _ => failure;
        using var appLifetime = new CancellationTokenSource();

        var outcomes = await w.CallManyAsync(calls, appLifetime.Token);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Keys, Is.EquivalentTo(new[] { failure == Failure.Unauthorized401 ? nameof(LeafAuthenticationException) : nameof(LeafApiException) }), "every call failed");
            Assert.That(w.Leaf.ResourceRequests, Is.GreaterThanOrEqualTo(calls));
            Assert.That(w.Clock.TimersCreated, Is.GreaterThanOrEqualTo(2 * calls), "the time-outs ran on the clock counted");
            Assert.That(w.Clock.ActiveTimers, Is.Zero, "timers still scheduled");
            Assert.That(Registrations.On(appLifetime), Is.Empty, "registrations left on the caller's token");
            Assert.That(w.Leaf.Undisposed, Is.Zero, $"answers not disposed, of {w.Leaf.Created}");
        });
    }

    public enum TimeOut
    {
        /// <summary>No status line within AttemptTimeout, every attempt.</summary>
        Attempt,

        /// <summary>The status line, then a body that stops coming, until AttemptTimeout.</summary>
        AttemptWhileReadingBody,

        /// <summary>TotalTimeout runs out during the second attempt.</summary>
        Total,
    }

    [Test]
    public async Task Calls_that_time_out_leave_no_timer_registration_or_answer_behind([Values] Auth auth, [Values] TimeOut timeOut)
    {
        const int Calls = 200;
        using var w = new LeakWorld(auth, o =>
        {
            o.MaxRetries = timeOut == TimeOut.Total ? 3 : 1;
            o.TotalTimeout = timeOut == TimeOut.Total ? LeakWorld.AttemptTimeout * 1.5 : TimeSpan.FromSeconds(60);
        });
        w.Leaf.Resources = _ => timeOut == TimeOut.AttemptWhileReadingBody ? Failure.BodyHangs : Failure.Hang;
        using var appLifetime = new CancellationTokenSource();
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < Calls; i++)
        {
            var hangs = w.Leaf.Hangs;
            var call = w.Client.GetResourcesAsync(cancellationToken: appLifetime.Token);

            // Two attempts, each held until the clock passes its time-out (the second cut short by TotalTimeout).
            await LeakWorld.UntilAsync(() => w.Leaf.Hangs == hangs + 1, "the first attempt is held");
            w.Clock.Advance(LeakWorld.AttemptTimeout);
            await LeakWorld.UntilAsync(() => w.Leaf.Hangs == hangs + 2, "the second attempt is held");
            w.Clock.Advance(LeakWorld.AttemptTimeout);
            var outcome = await LeakWorld.OutcomeOf(call);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Keys, Is.EquivalentTo(new[] { nameof(LeafApiException) }));
            Assert.That(w.Leaf.InFlight, Is.Zero, "attempts still held");
            Assert.That(w.Clock.ActiveTimers, Is.Zero, "timers still scheduled");
            Assert.That(Registrations.On(appLifetime), Is.Empty, "registrations left on the caller's token");
            Assert.That(w.Leaf.Undisposed, Is.Zero, $"answers not disposed, of {w.Leaf.Created}");
        });
    }

    public enum Cancelled
    {
        BeforeTheCall,
        DuringBackOff,
        WaitingForTheStatusLine,
        WhileReadingTheBody,
    }

    [Test]
    public async Task Calls_the_caller_cancels_leave_no_timer_or_answer_behind([Values] Auth auth, [Values] Cancelled stage)
    {
        const int Calls = 500;
        using var w = new LeakWorld(auth, o =>
        {
            o.MaxRetries = 3;
            o.RetryBaseDelay = TimeSpan.FromSeconds(1);
        });
        w.Leaf.Resources = stage switch
        {
            Cancelled.DuringBackOff => _ => Failure.ServiceUnavailable503,
            Cancelled.WhileReadingTheBody => _ => Failure.BodyHangs,
            _ => _ => Failure.Hang,
        };
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < Calls; i++)
        {
            using var cts = new CancellationTokenSource();
            if (stage == Cancelled.BeforeTheCall)
            {
                await cts.CancelAsync();
            }

            var (served, hangs) = (w.Leaf.ResourceRequests, w.Leaf.Hangs);
            var call = w.Client.GetResourcesAsync(cancellationToken: cts.Token);
            switch (stage)
            {
                case Cancelled.DuringBackOff:
                    // The retry disposes the 503 as its back-off begins, on a clock nobody moves.
                    await LeakWorld.UntilAsync(() => w.Leaf.ResourceRequests > served && w.Leaf.Undisposed == 0, "the 503 came and was let go");
                    break;
                case Cancelled.WaitingForTheStatusLine or Cancelled.WhileReadingTheBody:
                    await LeakWorld.UntilAsync(() => w.Leaf.Hangs > hangs, "the attempt is held");
                    break;
            }

            await cts.CancelAsync();
            var outcome = await LeakWorld.OutcomeOf(call);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Keys, Is.Not.Empty.And.SubsetOf(new[] { nameof(TaskCanceledException), nameof(OperationCanceledException) }), "every call was cancelled");
            Assert.That(w.Leaf.ResourceRequests, stage == Cancelled.BeforeTheCall ? Is.Zero : Is.EqualTo(Calls));
            Assert.That(w.Leaf.InFlight, Is.Zero, "attempts still held");
            Assert.That(w.Clock.ActiveTimers, Is.Zero, "timers still scheduled");
            Assert.That(w.Leaf.Undisposed, Is.Zero, $"answers not disposed, of {w.Leaf.Created}");
        });
    }

    // The login belongs to every caller waiting on it, so none of them cancels it (LeafLoginTokenSource): it lives on,
    // by design, until its own time-outs end it. It must then end, and with it everything it scheduled.
    [Test]
    public async Task Calls_cancelled_while_the_login_is_on_its_way_leave_only_that_login_which_ends_at_its_time_out()
    {
        const int Calls = 500;
        using var w = new LeakWorld(Auth.Login, o => o.MaxRetries = 0);
        w.Leaf.Logins = _ => Failure.Hang;
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < Calls; i++)
        {
            using var cts = new CancellationTokenSource();
            var call = w.Client.GetResourcesAsync(cancellationToken: cts.Token);

            // The call's two time-outs and, once it is on its way, the login's own two.
            await LeakWorld.UntilAsync(() => w.Leaf.Hangs == 1 && w.Clock.ActiveTimers == 4, "the call waits for the login");
            await cts.CancelAsync();
            var outcome = await LeakWorld.OutcomeOf(call);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        var loginStillRunning = (w.Leaf.InFlight, w.Clock.ActiveTimers);
        w.Clock.Advance(LeakWorld.AttemptTimeout);
        await LeakWorld.UntilAsync(() => w.Leaf.InFlight == 0 && w.Clock.ActiveTimers == 0, "the login ended at its time-out");

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Keys, Is.Not.Empty.And.SubsetOf(new[] { nameof(TaskCanceledException), nameof(OperationCanceledException) }), "every call was cancelled");
            Assert.That(w.Leaf.LoginRequests, Is.EqualTo(1), "every call waited on the one login");
            Assert.That(loginStillRunning, Is.EqualTo((1, 2)), "the login alone outlived the calls, with its own two time-outs");
            Assert.That(w.Leaf.ResourceRequests, Is.Zero);
            Assert.That(w.Leaf.Undisposed, Is.Zero);
        });
    }

    [Test]
    public async Task Failed_logins_leave_no_timer_registration_or_answer_behind(
        [Values(Failure.Unauthorized401, Failure.ServiceUnavailable503, Failure.MalformedJson, Failure.LargeBodyBreaksOff, Failure.ConnectionReset, Failure.EmptyReply)] Failure failure)
    {
        const int Calls = 500;
        using var w = new LeakWorld(Auth.Login, o => o.MaxRetries = 1);
        w.Leaf.Logins = _ => failure;
        using var appLifetime = new CancellationTokenSource();

        var outcomes = await w.CallManyAsync(Calls, appLifetime.Token);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Values.Sum(), Is.EqualTo(Calls));
            Assert.That(outcomes.Keys, Has.None.EqualTo("ok"));
            Assert.That(w.Leaf.LoginRequests, Is.GreaterThanOrEqualTo(Calls), "a failed login is not cached");
            Assert.That(w.Leaf.ResourceRequests, Is.Zero);
            Assert.That(w.Clock.ActiveTimers, Is.Zero, "timers still scheduled");
            Assert.That(Registrations.On(appLifetime), Is.Empty, "registrations left on the caller's token");
            Assert.That(w.Leaf.Undisposed, Is.Zero, $"answers not disposed, of {w.Leaf.Created}");
        });
    }

    [Test]
    public async Task A_token_source_that_throws_leaves_nothing_behind()
    {
        const int Calls = 1_000;
        using var w = new LeakWorld(Auth.TokenSource, o => o.TokenSource = new ThrowingTokenSource());
        using var appLifetime = new CancellationTokenSource();

        var outcomes = await w.CallManyAsync(Calls, appLifetime.Token);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Keys, Is.EquivalentTo(new[] { nameof(LeafApiException) }));
            Assert.That(w.Leaf.ResourceRequests, Is.Zero);
            Assert.That(w.Clock.ActiveTimers, Is.Zero, "timers still scheduled");
            Assert.That(Registrations.On(appLifetime), Is.Empty, "registrations left on the caller's token");
        });
    }

    [Test]
    public async Task Thousands_of_calls_while_the_circuit_is_open_leave_nothing_behind_and_the_circuit_recovers([Values] Auth auth)
    {
        const int Calls = 5_000;
        using var w = new LeakWorld(auth, o =>
        {
            o.MaxRetries = 0;
            o.EnableCircuitBreaker = true;
        });
        w.Leaf.Resources = _ => Failure.ServiceUnavailable503;
        using var appLifetime = new CancellationTokenSource();

        var opening = await w.CallManyAsync(Leaf.Sdk.Resilience.LeafResiliencePipelineFactory.BreakerMinimumThroughput, appLifetime.Token);
        var served = w.Leaf.ResourceRequests;
        var open = await w.CallManyAsync(Calls, appLifetime.Token);
        var afterOpen = (w.Leaf.ResourceRequests, w.Clock.ActiveTimers, Registrations: Registrations.On(appLifetime).Count, w.Leaf.Undisposed);

        w.Leaf.Resources = _ => Failure.Ok;
        w.Clock.Advance(Leaf.Sdk.Resilience.LeafResiliencePipelineFactory.BreakerBreakDuration + TimeSpan.FromSeconds(1));
        var recovered = await w.CallManyAsync(20, appLifetime.Token);

        Assert.Multiple(() =>
        {
            Assert.That(opening.Keys, Is.EquivalentTo(new[] { nameof(LeafApiException) }));
            Assert.That(open.Keys, Is.EquivalentTo(new[] { nameof(LeafApiException) }));
            Assert.That(afterOpen, Is.EqualTo((served, 0, 0, 0)), "nothing sent, scheduled, registered or kept while open");
            Assert.That(recovered, Is.EquivalentTo(new Dictionary<string, int> { ["ok"] = 20 }), "the circuit closed again");
            Assert.That(w.Clock.ActiveTimers, Is.Zero);
            Assert.That(Registrations.On(appLifetime), Is.Empty);
            Assert.That(w.Leaf.Undisposed, Is.Zero);
        });
    }

    private sealed class ThrowingTokenSource : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The vault is down.");
    }
}
