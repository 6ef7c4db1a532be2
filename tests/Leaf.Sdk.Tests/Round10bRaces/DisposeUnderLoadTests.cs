using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round9Cancel;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round10bRaces;

/// <summary>
/// The standalone client disposed, or the service provider of the DI client, while many calls are in flight at every
/// stage: held by Leaf, backing off after a 503 (on a clock nothing moves), waiting for a held login, reading a body
/// that stalls, and more calls starting while Dispose runs. Every call ends (no hang) with what README promises.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class DisposeUnderLoadTests
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Disposing_the_standalone_client_ends_every_call_at_every_stage_with_ObjectDisposedException([Values(1, 2, 3)] int seed)
    {
        using var server = new CancelServer { LoginToken = AuthStub.Jwt(ScriptedWorld.Epoch + TimeSpan.FromHours(1)) };
        var random = new Random(seed);
        var stages = new[] { Answer.HoldHeaders, Answer.Unavailable, Answer.RetryAfter, Answer.LargeBodyStall, Answer.ChunkedStall, Answer.Unauthorized };
        var plan = Enumerable.Range(0, 400).Select(_ => stages[random.Next(stages.Length)]).ToArray();
        server.Resources = n => plan[(n - 1) % plan.Length];

        // The first login answers; the renewal after the first 401 is held, so 401'd calls wait for it.
        server.HoldLoginsFrom = 2;
        var time = new FakeTimeProvider(ScriptedWorld.Epoch);
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        // Without the breaker: the 503s would open it, and the calls it refuses would never be in flight.
        var options = Options(server);
        options.EnableCircuitBreaker = false;
        var client = new IntegrationsClient(options, loggerFactory, time);

        const int Calls = 150;
        var calls = Enumerable.Range(0, Calls).Select(_ => Task.Run(() => Outcome.Of(client.GetResourcesAsync()))).ToList();
        await Resilience.ResilienceHarness.WaitUntilAsync(() => server.ResourceRequests >= Calls, $"seed {seed}: every call reached Leaf");

        // More callers arrive while the client is disposed.
        var late = Enumerable.Range(0, 50).Select(_ => Task.Run(() => Outcome.Of(client.GetResourcesAsync()))).ToList();
        client.Dispose();
        var outcomes = await Task.WhenAll(calls.Concat(late)).WaitAsync(HangLimit);

        Assert.Multiple(() =>
        {
            Assert.That(
                outcomes.Where(o => o.Error is not ObjectDisposedException && o.Result is null).Select(o => o.Describe()).Distinct(),
                Is.Empty,
                $"seed {seed}: every call ended with ObjectDisposedException (or was answered before the Dispose)");
            Assert.That(outcomes.Count(o => o.Error is ObjectDisposedException), Is.GreaterThanOrEqualTo(Calls), $"seed {seed}: the calls in flight");
            Assert.That(logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Error).Select(r => r.Message), Is.Empty, $"seed {seed}: a dispose is no failure to log");
        });
        await Resilience.ResilienceHarness.WaitUntilAsync(() => server.OpenConnections == 0, $"seed {seed}: every connection closed");
    }

    /// <summary>
    /// IHttpClientFactory does not end its handlers' requests when the service provider is disposed, and the login runs
    /// on no caller's token: before the fix the calls waited out the login's time-outs (AttemptTimeout, then retries, up
    /// to TotalTimeout) and then failed with a transient LeafApiException logged as an Error, not the
    /// ObjectDisposedException README promises. On this clock nothing times out, so they hung.
    /// </summary>
    [Test]
    public async Task Disposing_the_service_provider_ends_every_call_waiting_for_a_held_login_with_ObjectDisposedException()
    {
        using var server = new CancelServer { LoginToken = AuthStub.Jwt(ScriptedWorld.Epoch + TimeSpan.FromHours(1)), HoldLoginsFrom = 1 };
        var time = new FakeTimeProvider(ScriptedWorld.Epoch);
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var client = TestClient.Create(ClientKind.DependencyInjection, Options(server), time, loggerFactory);

        var calls = Enumerable.Range(0, 100).Select(_ => Task.Run(() => Outcome.Of(client.Client.GetResourcesAsync()))).ToList();
        await Resilience.ResilienceHarness.WaitUntilAsync(() => server.LoginRequests == 1, "the login reached Leaf");
        client.Dispose();
        var outcomes = await Task.WhenAll(calls).WaitAsync(HangLimit);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Where(o => o.Error is not ObjectDisposedException).Select(o => o.Describe()).Distinct(), Is.Empty);
            Assert.That(outcomes.Select(o => o.Error?.Message), Has.All.Contains("service provider"));
            Assert.That(server.LoginRequests, Is.EqualTo(1), "one login for all");
            Assert.That(logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).Select(r => r.Message), Is.Empty, "a shutdown is no failure to log");
            Assert.That(server.ResourceRequests, Is.Zero);
        });
    }

    private static LeafClientOptions Options(CancelServer server) => new()
    {
        BaseAddress = server.Url,
        Username = AuthStub.Username,
        Password = AuthStub.Password,
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(60),
    };
}
