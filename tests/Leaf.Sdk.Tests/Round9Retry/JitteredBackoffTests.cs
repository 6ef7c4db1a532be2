using System.Globalization;
using System.Net;
using Leaf.Sdk.Http;
using Leaf.Sdk.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Polly;
using Polly.Retry;

namespace Leaf.Sdk.Tests.Round9Retry;

/// <summary>
/// The SDK draws the exponential back-off itself, so it knows a wait before it decides on a retry. It must draw what
/// Polly drew before (the README's figures and BackoffBudgetTests rest on it): the same random numbers give the same
/// waits, tick for tick, Retry-After included.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class JitteredBackoffTests
{
    [TestCase(1, 1_000)]
    [TestCase(7, 1_000)]
    [TestCase(42, 3)]
    [TestCase(2026, 60_000)]
    public async Task The_back_off_is_Pollys_for_the_same_random_numbers(int seed, int baseMs)
    {
        var baseDelay = TimeSpan.FromMilliseconds(baseMs);
        var numbers = Numbers(seed, 10);

        await AssertPollysWaitsAsync(baseDelay, numbers);
    }

    [Test]
    public async Task The_extremes_of_the_random_number_give_Pollys_waits_too()
    {
        double[] numbers = [0.0, 0.9999999999999999, 0.0, 0.5, 0.9999999999999999, 0.0, 1e-12, 0.5, 0.25, 0.75];
        var baseDelay = TimeSpan.FromSeconds(1);

        await AssertPollysWaitsAsync(baseDelay, numbers);
    }

    // Ten retries' waits drawn by the SDK and by Polly itself from the same random numbers: tick for tick the same.
    private static async Task AssertPollysWaitsAsync(TimeSpan baseDelay, double[] numbers)
    {
        var polly = await PollyDelaysAsync(baseDelay, numbers, retryAfter: new TimeSpan?[10]);

        double previous = 0;
        var next = Sequence(numbers);
        var ours = Enumerable.Range(0, 10).Select(attempt => JitteredBackoff.Next(attempt, baseDelay, ref previous, next)).ToList();
        Assert.That(ours, Is.EqualTo(polly));
    }

    [Test]
    public void A_zero_base_delay_waits_nothing_and_draws_no_number()
    {
        double previous = 0;
        var drawn = 0;

        var wait = JitteredBackoff.Next(0, TimeSpan.Zero, ref previous, () => ++drawn);

        Assert.Multiple(() =>
        {
            Assert.That(wait, Is.EqualTo(TimeSpan.Zero));
            Assert.That(drawn, Is.Zero);
            Assert.That(previous, Is.Zero);
        });
    }

    // The SDK's whole pipeline, on real time with a 1 ms base so the waits are short: each retry waits what Polly's own
    // retry strategy would have waited for the same answers and the same random numbers, a Retry-After in between.
    [Test]
    public async Task The_SDK_pipeline_waits_what_Polly_would_have_waited()
    {
        var numbers = Numbers(99, 4);
        var baseDelay = TimeSpan.FromMilliseconds(1);
        TimeSpan?[] retryAfter = [null, TimeSpan.FromMilliseconds(0), null, null];
        var polly = await PollyDelaysAsync(baseDelay, numbers, retryAfter);

        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Warning));
        var options = new LeafClientOptions { MaxRetries = 4, RetryBaseDelay = baseDelay, EnableCircuitBreaker = false };
        var pipeline = LeafResiliencePipelineFactory.Create(options, forLogin: false, TimeProvider.System, loggers, random: Sequence(numbers));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.withleaf.io/services/integrations/api/resources");
        request.Options.Set(CallState.OptionsKey, new CallState(TimeProvider.System.GetTimestamp()));
        var attempt = 0;

        var outcome = await pipeline.ExecuteOutcomeAsync(
            (_, _) =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request };
                if (attempt < retryAfter.Length && retryAfter[attempt] is { } wait)
                {
                    response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
                }

                attempt++;
                return ValueTask.FromResult(Outcome.FromResult(response));
            },
            ResilienceContextPool.Shared.Get(),
            0);
        outcome.Result?.Dispose();

        var waits = collector.GetSnapshot().Where(r => r.Id.Id == 2)
            .Select(r => double.Parse(r.StructuredState!.Single(p => p.Key == "DelayMs").Value!, CultureInfo.InvariantCulture)).ToList();
        Assert.That(waits, Is.EqualTo(polly.Select(d => d.TotalMilliseconds)));
    }

    private static double[] Numbers(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.NextDouble())];
    }

    private static Func<double> Sequence(double[] numbers)
    {
        var i = 0;
        return () => numbers[i++];
    }

    /// <summary>The waits Polly's own retry strategy chooses, with the SDK's settings, for 503s and the given Retry-Afters.</summary>
    private static async Task<List<TimeSpan>> PollyDelaysAsync(TimeSpan baseDelay, double[] numbers, TimeSpan?[] retryAfter)
    {
        var delays = new List<TimeSpan>();
        var pipeline = new ResiliencePipelineBuilder<int> { TimeProvider = new NoWaitTimeProvider() }
            .AddRetry(new RetryStrategyOptions<int>
            {
                MaxRetryAttempts = numbers.Length,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                Randomizer = Sequence(numbers),
                ShouldHandle = _ => ValueTask.FromResult(true),
                DelayGenerator = args => ValueTask.FromResult(retryAfter[args.AttemptNumber]),
                OnRetry = args =>
                {
                    delays.Add(args.RetryDelay);
                    return default;
                },
            })
            .Build();

        await pipeline.ExecuteAsync(_ => ValueTask.FromResult(503));
        return delays;
    }

    /// <summary>A clock whose timers fire at once: Polly's waits are recorded, not waited, whatever their length.</summary>
    private sealed class NoWaitTimeProvider : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
