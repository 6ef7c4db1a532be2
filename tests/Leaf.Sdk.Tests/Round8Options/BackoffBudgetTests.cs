using System.Globalization;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round8Options;

/// <summary>
/// What Polly's exponential back-off with jitter (DecorrelatedJitterBackoffV2) waits, as the README states it, and why a
/// RetryBaseDelay as long as TotalTimeout is not refused: the first wait falls anywhere from 0 to 1.38 x RetryBaseDelay,
/// so a first retry still fits in part of the calls. Each wait before retry n brings the sum of waits to between
/// f(n-1) and f(n) x RetryBaseDelay, f(t) = 2^t tanh(sqrt(4t)) / 1.4: 1.38, 2.84, 5.70.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BackoffBudgetTests
{
    private static readonly double[] SumBounds = [0, F(1), F(2), F(3)];

    private static double F(int t) => Math.Pow(2, t) * Math.Tanh(Math.Sqrt(4.0 * t)) / 1.4;

    [Test]
    public async Task The_waits_before_each_retry_add_up_within_the_documented_multiples_of_RetryBaseDelay()
    {
        const double BaseMs = 20;
        using var server = FakeLeafServer.Start();
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Warning));
        var options = server.CreateClientOptions();
        options.MaxRetries = 3;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(BaseMs);
        options.EnableCircuitBreaker = false;
        using var client = new IntegrationsClient(options, loggers, TimeProvider.System);
        const int Calls = 8;
        server.FailNext(Calls * 4);

        for (var call = 0; call < Calls; call++)
        {
            await Assert.ThatAsync(() => client.GetResourcesAsync(), Throws.TypeOf<LeafApiException>());
        }

        var waits = collector.GetSnapshot().Where(r => r.Id.Id == 2).Select(r => double.Parse(r.StructuredState!.Single(p => p.Key == "DelayMs").Value!, CultureInfo.InvariantCulture)).ToList();
        Assert.That(waits, Has.Count.EqualTo(Calls * 3));
        Assert.Multiple(() =>
        {
            for (var call = 0; call < Calls; call++)
            {
                var sum = 0.0;
                for (var retry = 1; retry <= 3; retry++)
                {
                    sum += waits[(call * 3) + retry - 1];
                    Assert.That(sum / BaseMs, Is.InRange(SumBounds[retry - 1] - 0.001, SumBounds[retry] + 0.001), $"call {call}, the waits up to retry {retry}");
                }
            }
        });
    }

    // Not refused: a retry fits whenever the jittered first wait is short enough. When it is not, the call ends at once
    // with Leaf's answer and says why, as the README says; here the first wait would have to be under 0.1 % of
    // RetryBaseDelay to fit. On a fake clock nothing moves, so a slow machine cannot run the call out of time first.
    [Test]
    public async Task A_back_off_longer_than_TotalTimeout_ends_the_call_at_once_with_Leafs_answer()
    {
        using var server = FakeLeafServer.Start();
        var options = server.CreateClientOptions();
        options.MaxRetries = 1;
        options.RetryBaseDelay = TimeSpan.FromMinutes(1);
        options.AttemptTimeout = TimeSpan.FromMilliseconds(50);
        options.TotalTimeout = TimeSpan.FromMilliseconds(50);
        using var client = new IntegrationsClient(options, NullLoggerFactory.Instance, new FakeTimeProvider());
        server.FailNext(2);

        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.GetResourcesAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("Not retried: the back-off before the next attempt"));
            Assert.That(error.Attempts, Is.EqualTo(1));
            Assert.That(error.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable), "Leaf's 503 is what the call ends with");
        });
    }
}
