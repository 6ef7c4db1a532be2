using Leaf.Sdk.Http;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round6Lifetime;
using Leaf.Sdk.Tests.Round9Cancel;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round10Leaks;

/// <summary>
/// One test's world: the DI client over a <see cref="ScriptedLeaf"/> (the Sync Summary and the login both), on a fake
/// clock that counts the timers still scheduled on it. Nothing moves the clock but the test, so every wait ends only by
/// the test's advance or by cancellation, and what is still scheduled after the calls is what they left behind.
/// </summary>
internal sealed class LeakWorld : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RealTimeBound = TimeSpan.FromSeconds(10);

    private readonly TestClient _client;

    public LeakWorld(Auth auth, Action<LeafClientOptions>? configure = null)
    {
        Clock = new ActiveTimerClock(Epoch);
        Leaf = new ScriptedLeaf(AuthStub.Jwt(Epoch.AddDays(30)));
        var options = new LeafClientOptions
        {
            BaseAddress = new Uri("https://leaf.example"),
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.Zero,
            AttemptTimeout = AttemptTimeout,
            TotalTimeout = TimeSpan.FromSeconds(60),
            EnableCircuitBreaker = false,
        };
        switch (auth)
        {
            case Auth.StaticToken:
                options.AccessToken = "static-token";
                break;
            case Auth.TokenSource:
                options.TokenSource = new CountingTokenSource();
                break;
            default:
                options.Username = AuthStub.Username;
                options.Password = AuthStub.Password;
                break;
        }

        configure?.Invoke(options);
        _client = TestClient.Create(ClientKind.DependencyInjection, options, Clock, client: b =>
        {
            b.ConfigurePrimaryHttpMessageHandler(() => Leaf);
            b.Services.AddHttpClient(LeafHttpPipeline.LoginClientName).ConfigurePrimaryHttpMessageHandler(() => Leaf);
        });
    }

    public ActiveTimerClock Clock { get; }

    public ScriptedLeaf Leaf { get; }

    public IIntegrationsClient Client => _client.Client;

    /// <summary>Makes <paramref name="count"/> calls one after another; how many ended in each exception type (or "ok").</summary>
    public async Task<IReadOnlyDictionary<string, int>> CallManyAsync(int count, CancellationToken cancellationToken = default)
    {
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var outcome = await OutcomeOf(Client.GetResourcesAsync(cancellationToken: cancellationToken));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        return outcomes;
    }

    /// <summary>The exception type a call ended with, or "ok"; bounded in real time, so a call left hanging fails the test.</summary>
    public static async Task<string> OutcomeOf(Task call)
    {
        try
        {
            await call.WaitAsync(RealTimeBound);
            return "ok";
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            return "still running";
        }
        catch (Exception ex)
        {
            return ex.GetType().Name;
        }
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds; yields rather than sleeps, so it costs microseconds.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = Environment.TickCount64 + (long)RealTimeBound.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Yield();
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Hands out a token at once, a new one on renewal.</summary>
    internal sealed class CountingTokenSource : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) =>
            ValueTask.FromResult(forceRenewal ? "renewed-token" : "first-token");
    }
}
