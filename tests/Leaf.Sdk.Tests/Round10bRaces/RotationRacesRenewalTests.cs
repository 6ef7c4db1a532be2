using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Leaf.Sdk.Tests.Round10bRaces;

/// <summary>
/// A token source of the user's that rotates its token while many calls run, and Leaf revoking the token in waves: each
/// call that gets a 401 asks for a renewal exactly once and resends once, never with a token older than the one Leaf
/// refused, and every call ends well once the renewed token is accepted.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RotationRacesRenewalTests
{
    [Test]
    public async Task Revocation_waves_while_the_source_rotates_renew_once_per_refused_call([Values(1, 2, 3, 4)] int seed)
    {
        var random = new Random(seed);
        var source = new RotatingSource();
        using var w = new ScriptedWorld(o => { o.AccessToken = null; o.TokenSource = source; });
        var minimumAccepted = 1;
        var sends = new ConcurrentDictionary<HttpRequestMessage, ConcurrentQueue<(int Version, bool Refused)>>();
        var refusals = 0;
        w.Leaf.Script = async (request, ct) =>
        {
            var version = int.Parse(request.Headers.Authorization!.Parameter!["tok-".Length..], CultureInfo.InvariantCulture);
            await Task.Yield();
            var refused = version < Volatile.Read(ref minimumAccepted);
            sends.GetOrAdd(request, _ => new()).Enqueue((version, refused));
            if (refused)
            {
                Interlocked.Increment(ref refusals);
                return ScriptedLeaf.Status(HttpStatusCode.Unauthorized);
            }

            return ScriptedLeaf.Ok();
        };

        var calls = new List<Task<Outcome>>();
        for (var wave = 0; wave < 4; wave++)
        {
            // Calls start, the source rotates on its own now and then, and Leaf revokes everything up to the newest.
            for (var i = 0; i < 60; i++)
            {
                calls.Add(Task.Run(() => Outcome.Of(w.Client.GetResourcesAsync())));
                switch (random.Next(20))
                {
                    case 0:
                        source.RotateNow();
                        break;
                    case 1:
                        Volatile.Write(ref minimumAccepted, source.Version + 1);
                        break;
                    case 2:
                        await Task.Yield();
                        break;
                }
            }

            Volatile.Write(ref minimumAccepted, source.Version + 1);
        }

        var outcomes = await Task.WhenAll(calls).WaitAsync(ScriptedWorld.HangLimit);
        var perCall = sends.Values.Select(q => q.ToArray()).ToArray();

        Assert.Multiple(() =>
        {
            var why = $"seed {seed}";
            Assert.That(perCall.Where(s => s.Length > 2).Select(Show), Is.Empty, $"{why}: one send, or one resend after a 401");
            Assert.That(perCall.Where(s => s.Length == 2 && !s[0].Refused).Select(Show), Is.Empty, $"{why}: only a 401 is resent");
            Assert.That(perCall.Where(s => s.Length == 2 && s[1].Version <= s[0].Version).Select(Show), Is.Empty, $"{why}: the resend carries a newer token than the refused one");
            Assert.That(source.ForcedRequests, Is.EqualTo(perCall.Count(s => s[0].Refused)), $"{why}: one renewal request per refused call");
            Assert.That(
                outcomes.Where(o => o.Result is null && o.Error is not LeafAuthenticationException).Select(o => o.Describe()).Distinct(),
                Is.Empty,
                $"{why}: a call fails only when its renewed token was refused too");
            Assert.That(
                outcomes.Count(o => o.Error is LeafAuthenticationException),
                Is.EqualTo(perCall.Count(s => s.Length == 2 && s[1].Refused)),
                $"{why}: a LeafAuthenticationException exactly for each second 401");
        });
    }

    private static string Show((int Version, bool Refused)[] sends) => string.Join(" → ", sends.Select(s => $"v{s.Version}{(s.Refused ? " 401" : " ok")}"));

    /// <summary>
    /// The README's advice: cache inside, share one renewal among every caller asking at once; a caller asking after a
    /// renewal finished starts another.
    /// </summary>
    private sealed class RotatingSource : ILeafTokenSource
    {
        private readonly Lock _gate = new();
        private int _version = 1;
        private Task<string>? _renewal;
        private int _forced;

        public int Version => Volatile.Read(ref _version);

        public int ForcedRequests => Volatile.Read(ref _forced);

        public void RotateNow() => Interlocked.Increment(ref _version);

        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
        {
            if (!forceRenewal)
            {
                return ValueTask.FromResult(Token(Version));
            }

            Interlocked.Increment(ref _forced);
            lock (_gate)
            {
                _renewal ??= RenewAsync();
                return new ValueTask<string>(_renewal.WaitAsync(cancellationToken));
            }
        }

        private async Task<string> RenewAsync()
        {
            await Task.Yield();
            lock (_gate)
            {
                _renewal = null;
                return Token(Interlocked.Increment(ref _version));
            }
        }

        private static string Token(int version) => "tok-" + version.ToString(CultureInfo.InvariantCulture);
    }
}
