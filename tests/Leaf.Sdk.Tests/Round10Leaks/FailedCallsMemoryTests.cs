using System.Runtime.CompilerServices;
using Leaf.Sdk.Tests.Round9Cancel;

namespace Leaf.Sdk.Tests.Round10Leaks;

/// <summary>
/// Memory after thousands of failed or cancelled calls: flat, and no task exception left unobserved. Not parallel: the
/// memory measured, and the unobserved-exception event, are the whole process's.
/// </summary>
[NonParallelizable]
public sealed class FailedCallsMemoryTests
{
    private const int WarmUp = 200;
    private const int Calls = 3_000;

    // 3,000 calls may keep 256 KB (85 bytes a call) before this fails: a leak per call (a registration, an answer, a
    // continuation) is bigger than that, and noise (pools filling, a lazily made cache) is well below it.
    private const long Bound = 256 * 1024;

    // The memory measured is the whole process's, so once in a while something else in it keeps or frees a few hundred KB
    // while the calls run (525 KB once, in a CI run under load; ±220 KB alone). Each batch is measured on its own, and the
    // test fails when every batch kept more than the bound, as a leak per call does.
    private const int Batches = 2;

    public enum Scenario
    {
        /// <summary>503 through the last retry, with a long-lived caller token.</summary>
        RetriedStatus,

        /// <summary>401, the renewal, 401 again (login).</summary>
        UnauthorizedAfterRenewal,

        /// <summary>A 200 over 16 KB that breaks off, each retry.</summary>
        LargeBodyBreaksOff,

        /// <summary>Every login fails.</summary>
        LoginFails,

        /// <summary>The circuit is open.</summary>
        CircuitOpen,

        /// <summary>The caller cancels during the back-off after a 503.</summary>
        CancelledDuringBackOff,

        /// <summary>
        /// A token source that ignores its cancellation token, handing every caller the same task (one fetch shared by
        /// all, as ILeafTokenSource asks for renewals) that never ends; each caller cancels.
        /// </summary>
        DeafSharedTokenSourceCancelled,

        /// <summary>The same source; each call's attempt times out waiting for it.</summary>
        DeafSharedTokenSourceTimedOut,
    }

    [Test]
    public async Task Thousands_of_failed_calls_keep_no_memory_and_leave_no_exception_unobserved([Values] Scenario scenario)
    {
        var unobserved = new List<string>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            // Only what comes from the SDK's calls: a test before this one may have left a fault of its own.
            if (e.Exception.ToString().Contains("Leaf", StringComparison.Ordinal))
            {
                lock (unobserved)
                {
                    unobserved.Add(e.Exception.InnerException?.GetType().Name ?? e.Exception.GetType().Name);
                }
            }
        }

        // A large body costs a 16 KB parse on each of three attempts; a third as many calls keep a test under two seconds.
        var calls = scenario == Scenario.LargeBodyBreaksOff ? Calls / 3 : Calls;
        using var w = World(scenario, out var deaf);
        await RunAsync(w, scenario, WarmUp);
        Settled();
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        var kept = new long[Batches];
        try
        {
            var before = Settled();
            for (var batch = 0; batch < Batches; batch++)
            {
                await RunAsync(w, scenario, calls);
                var after = Settled();
                kept[batch] = after - before;
                before = after;
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        GC.KeepAlive(deaf);
        TestContext.Out.WriteLine($"{scenario}: {string.Join(", then ", kept.Select(k => $"{k:N0}"))} bytes kept over {calls:N0} calls each");
        Assert.Multiple(() =>
        {
            // What every batch kept: a leak per call shows in each, a one-off (another test's background work ending, a
            // thread the pool added under load) in one.
            Assert.That(kept.Min(), Is.LessThan(Bound), $"{kept.Min() / (double)calls:F0} bytes kept per call, in every batch");
            Assert.That(unobserved, Is.Empty, "unobserved task exceptions");
            Assert.That(w.Clock.ActiveTimers, Is.Zero, "timers still scheduled");
            Assert.That(w.Leaf.Undisposed, Is.Zero, "answers not disposed");
        });
    }

    private static LeakWorld World(Scenario scenario, out DeafTokenSource? deaf)
    {
        deaf = scenario is Scenario.DeafSharedTokenSourceCancelled or Scenario.DeafSharedTokenSourceTimedOut ? new DeafTokenSource() : null;
        var source = deaf;
        var auth = scenario switch
        {
            Scenario.UnauthorizedAfterRenewal or Scenario.LoginFails => Auth.Login,
            _ when source is not null => Auth.TokenSource,
            _ => Auth.StaticToken,
        };
        var w = new LeakWorld(auth, o =>
        {
            o.TokenSource = source ?? o.TokenSource;
            o.EnableCircuitBreaker = scenario == Scenario.CircuitOpen;
            o.MaxRetries = source is not null || scenario == Scenario.CircuitOpen ? 0 : 2;
            o.RetryBaseDelay = scenario == Scenario.CancelledDuringBackOff ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        });
        w.Leaf.Resources = scenario switch
        {
            Scenario.UnauthorizedAfterRenewal => _ => Failure.Unauthorized401,
            Scenario.LargeBodyBreaksOff => _ => Failure.LargeBodyBreaksOff,
            Scenario.LoginFails => _ => Failure.Ok,
            _ => _ => Failure.ServiceUnavailable503,
        };
        w.Leaf.Logins = scenario == Scenario.LoginFails ? _ => Failure.InternalServerError500 : _ => Failure.Ok;
        return w;
    }

    // Out of line, so no local of a loop keeps its last call alive while the test measures.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task RunAsync(LeakWorld w, Scenario scenario, int calls)
    {
        using var appLifetime = new CancellationTokenSource();
        for (var i = 0; i < calls; i++)
        {
            var outcome = scenario switch
            {
                Scenario.CancelledDuringBackOff or Scenario.DeafSharedTokenSourceCancelled => await CancelledAsync(w, scenario),
                Scenario.DeafSharedTokenSourceTimedOut => await TimedOutAsync(w),
                _ => await LeakWorld.OutcomeOf(w.Client.GetResourcesAsync(cancellationToken: appLifetime.Token)),
            };
            if (outcome is "ok" or "still running")
            {
                Assert.Fail($"Call {i} of {scenario}: {outcome}.");
            }
        }

        Assert.That(Registrations.On(appLifetime), Is.Empty, "registrations left on the caller's token");
    }

    private static async Task<string> CancelledAsync(LeakWorld w, Scenario scenario)
    {
        using var cts = new CancellationTokenSource();
        var served = w.Leaf.ResourceRequests;
        var call = w.Client.GetResourcesAsync(cancellationToken: cts.Token);
        if (scenario == Scenario.CancelledDuringBackOff)
        {
            await LeakWorld.UntilAsync(() => w.Leaf.ResourceRequests > served && w.Leaf.Undisposed == 0, "the 503 came and was let go");
        }

        await cts.CancelAsync();
        return await LeakWorld.OutcomeOf(call);
    }

    private static async Task<string> TimedOutAsync(LeakWorld w)
    {
        var call = w.Client.GetResourcesAsync();

        // The call's two time-outs are scheduled before it asks the source.
        await LeakWorld.UntilAsync(() => w.Clock.ActiveTimers == 2, "the call's time-outs are scheduled");
        w.Clock.Advance(LeakWorld.AttemptTimeout);
        return await LeakWorld.OutcomeOf(call);
    }

    private static long Settled()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Hands every caller the same fetch, which never ends and never looks at a cancellation token.</summary>
    private sealed class DeafTokenSource : ILeafTokenSource
    {
        private readonly TaskCompletionSource<string> _fetch = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => new(_fetch.Task);
    }
}
