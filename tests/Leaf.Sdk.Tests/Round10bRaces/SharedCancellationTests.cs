using System.Net;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.Round10bRaces;

/// <summary>
/// One CancellationToken shared by two hundred callers at different stages (held by Leaf, backing off after a 503 on a
/// clock nothing moves, waiting for a token source that holds its token), cancelled once: every call ends with that
/// token's OperationCanceledException, Leaf's requests are let go, nothing is logged as a failure.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SharedCancellationTests
{
    [Test]
    public async Task One_token_cancelled_under_many_callers_at_every_stage_ends_them_all([Values(1, 2, 3)] int seed)
    {
        var random = new Random(seed);
        var tokenGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new GatedSource(tokenGate.Task);
        using var w = new ScriptedWorld(o => { o.AccessToken = null; o.TokenSource = source; o.MaxRetries = 3; o.RetryBaseDelay = TimeSpan.FromSeconds(1); o.EnableCircuitBreaker = false; });
        var held = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var n = 0;
        w.Leaf.Script = (_, ct) => Interlocked.Increment(ref n) % 2 == 0
            ? held.Task.WaitAsync(ct)
            : Task.FromResult(ScriptedLeaf.Status(HttpStatusCode.ServiceUnavailable));

        using var shared = new CancellationTokenSource();
        var calls = new List<Task<Outcome>>();
        for (var i = 0; i < 200; i++)
        {
            // Some callers start before the token source lets go (they wait for it), the rest after.
            if (i == 50 + random.Next(100))
            {
                tokenGate.TrySetResult();
            }

            calls.Add(Task.Run(() => Outcome.Of(w.Client.GetResourcesAsync(cancellationToken: shared.Token))));
        }

        tokenGate.TrySetResult();
        await BreakerUnderLoadTests.WaitUntil(() => w.Leaf.Requests >= 100, $"seed {seed}: calls reached Leaf");
        await shared.CancelAsync();
        var outcomes = await Task.WhenAll(calls).WaitAsync(ScriptedWorld.HangLimit);

        Assert.Multiple(() =>
        {
            Assert.That(
                outcomes.Where(o => o.Error is not OperationCanceledException { } c || c.CancellationToken != shared.Token).Select(o => o.Describe()).Distinct(),
                Is.Empty,
                $"seed {seed}: every call ended with the shared token's cancellation");
            Assert.That(w.Leaf.InFlight, Is.Zero, $"seed {seed}: every request at Leaf let go");
            Assert.That(w.Logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Error).Select(r => r.Message), Is.Empty, $"seed {seed}: a cancellation is no failure");
        });
    }

    private sealed class GatedSource(Task gate) : ILeafTokenSource
    {
        public async ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            return "gated-token";
        }
    }
}
