using System.Diagnostics;
using System.Globalization;
using Leaf.Sdk.Benchmarks.Contenders;
using Leaf.Sdk.Http;
using Leaf.Sdk.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Leaf.Sdk.Benchmarks.Scenarios;

/// <summary>
/// The three contenders in alternating batches in one process (<c>-- --interleaved [ROUNDS]</c>). On a machine whose
/// speed drifts, BenchmarkDotNet measures each contender minutes apart; here every round times one batch of each,
/// back to back, in an order that rotates from round to round, and a ratio is taken within each round. The ratio
/// reported is the median of those per-round ratios, with their range: drift that hits a whole round cancels out.
/// A fourth row is the SDK's client set up the same way but with an empty Polly pipeline in place of its own: the
/// difference between the two is what the pipeline that DESIGN §3–4 asks for costs. Two last scenarios price that
/// pipeline part by part against a baseline call: in place (the SDK's client, its pipeline built up one part at a
/// time), then alone.
/// </summary>
public static class InterleavedRun
{
    private static readonly TimeSpan BatchTime = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs every scenario for <paramref name="rounds"/> rounds and prints one Markdown table.</summary>
    public static async Task<int> RunAsync(int rounds)
    {
        Console.WriteLine($"Interleaved: {rounds} rounds per scenario, batches of about {BatchTime.TotalMilliseconds:0} ms, the contenders' order rotating.");
        Console.WriteLine("Ratio: the median over rounds of (contender ÷ baseline in the same round), with the lowest and highest round.");
        Console.WriteLine();
        Console.WriteLine("| Scenario | Contender | Median per request | Ratio | Range of rounds | Allocated per request | Alloc ratio |");
        Console.WriteLine("|---|---|---:|---:|---|---:|---:|");

        foreach (var summaries in (int[])[1, 9, 10_000])
        {
            var body = Payloads.Body(summaries);
            using var contenders = ContenderSet.InMemory(body);
            await contenders.VerifyAsync(summaries);
            using var withoutPolly = WithoutPolly(ContenderSet.InMemoryBaseAddress, () => new CannedHandler(body));
            await MeasureAsync($"in-memory, {summaries:N0}", Calls(contenders, withoutPolly, summaries, fan: false), requestsPerCall: 1, rounds);
        }

        // Over loopback, 9 summaries only: at 10,000 one fan of requests takes over half a second, and the ratios there
        // are far from every target (see the default job).
        await using (var server = await LoopbackServer.StartAsync(Payloads.Body(9)))
        {
            using var contenders = ContenderSet.Sockets(server.BaseAddress);
            await contenders.VerifyAsync(9);
            using var withoutPolly = WithoutPolly(server.BaseAddress, primary: null);
            await MeasureAsync(
                $"loopback, 9, {LoopbackBenchmarks.Callers} callers",
                Calls(contenders, withoutPolly, 9, fan: true),
                requestsPerCall: LoopbackBenchmarks.Callers * LoopbackBenchmarks.CallsPerCaller,
                rounds);
        }

        // The SDK's Polly pipeline built up one part at a time, each part's cost as a fraction of a 1-summary baseline
        // call timed in the same rounds: first in place (the SDK's client at 1 summary in-memory, its resilience
        // handler running the pipeline up to that part), then alone, with no HTTP around it.
        var body1 = Payloads.Body(1);
        using (var contenders = ContenderSet.InMemory(body1))
        {
            var inPlace = PipelineSteps.Select(step => WithPipeline(
                ContenderSet.InMemoryBaseAddress,
                () => new CannedHandler(body1),
                loggerFactory => LeafResiliencePipelineFactory.Create(LadderOptions, forLogin: false, TimeProvider.System, loggerFactory, step.Parts))).ToArray();
            try
            {
                await MeasureAsync(
                    "pipeline in place, 1",
                    [
                        ("HttpClient+STJ", () => Checked(contenders.HandWrittenAsync, 1)),
                        .. PipelineSteps.Zip(inPlace, static (step, services) =>
                        {
                            var client = services.GetRequiredService<IIntegrationsClient>();
                            return (step.Name, (Func<Task>)(() => Checked(async () => (await client.GetResourcesAsync()).Summaries.Count, 1)));
                        }),
                    ],
                    requestsPerCall: 1,
                    rounds);
            }
            finally
            {
                Array.ForEach(inPlace, static services => services.Dispose());
            }

            using var cancellation = new CancellationTokenSource();
            await MeasureAsync(
                "pipeline alone",
                [("HttpClient+STJ, 1 summary", () => Checked(contenders.HandWrittenAsync, 1)), .. PipelineLadder(cancellation.Token)],
                requestsPerCall: 1,
                rounds);
        }

        return 0;
    }

    /// <summary>The Leaf pipeline as <see cref="LeafResiliencePipelineFactory"/> builds it, one part added per step.</summary>
    private static readonly (string Name, LeafPipelineParts Parts)[] PipelineSteps =
    [
        ("no strategy", LeafPipelineParts.None),
        ("attempt time-out", LeafPipelineParts.AttemptTimeout),
        ("+ retry", LeafPipelineParts.AttemptTimeout | LeafPipelineParts.Retry),
        ("+ circuit breaker", LeafPipelineParts.AttemptTimeout | LeafPipelineParts.Retry | LeafPipelineParts.CircuitBreaker),
        ("+ total time-out", LeafPipelineParts.All & ~LeafPipelineParts.Telemetry),
        ("+ Polly's telemetry: the SDK's pipeline", LeafPipelineParts.All),
    ];

    private static readonly LeafClientOptions LadderOptions = new() { BaseAddress = ContenderSet.InMemoryBaseAddress, AccessToken = ContenderSet.Token };

    /// <summary>
    /// <see cref="PipelineSteps"/> alone: each row runs one execution whose attempt is already done, with a cancellable
    /// token, as HttpClient hands its handlers.
    /// </summary>
    private static (string Name, Func<Task> Call)[] PipelineLadder(CancellationToken token)
    {
        var done = new HttpResponseMessage();
        return [.. PipelineSteps.Select(step =>
        {
            var pipeline = LeafResiliencePipelineFactory.Create(LadderOptions, forLogin: false, TimeProvider.System, NullLoggerFactory.Instance, step.Parts);
            return (step.Name, (Func<Task>)(async () => await BreakdownBenchmarks.ExecuteAloneAsync(pipeline, done, token)));
        })];
    }

    private static (string Name, Func<Task> Call)[] Calls(ContenderSet contenders, ServiceProvider withoutPolly, int summaries, bool fan)
    {
        var client = withoutPolly.GetRequiredService<IIntegrationsClient>();
        Func<Task> Wrap(Func<Task<int>> call) => fan ? () => LoopbackBenchmarks.Fan(call, summaries) : () => Checked(call, summaries);
        return
        [
            ("HttpClient+STJ", Wrap(contenders.HandWrittenAsync)),
            ("Refit", Wrap(contenders.PlainRefitAsync)),
            ("IntegrationsClient", Wrap(contenders.IntegrationsClientAsync)),
            ("IntegrationsClient, empty Polly pipeline", Wrap(async () => (await client.GetResourcesAsync()).Summaries.Count)),
        ];
    }

    /// <summary>
    /// The SDK's client as the contender gets it (<c>AddLeafSdk</c>, the same transport), with one difference: its
    /// resilience handler runs an empty Polly pipeline instead of the SDK's.
    /// </summary>
    private static ServiceProvider WithoutPolly(Uri baseAddress, Func<HttpMessageHandler>? primary) =>
        WithPipeline(baseAddress, primary, static _ => ResiliencePipeline<HttpResponseMessage>.Empty);

    /// <summary>
    /// The SDK's client as the contender gets it, its resilience handler running the pipeline <paramref name="pipeline"/>
    /// builds with the container's logger factory (built once: the pipeline holds the circuit state).
    /// </summary>
    private static ServiceProvider WithPipeline(Uri baseAddress, Func<HttpMessageHandler>? primary, Func<ILoggerFactory, ResiliencePipeline<HttpResponseMessage>> pipeline)
    {
        ResiliencePipeline<HttpResponseMessage>? built = null;
        return ContenderSet.Sdk(baseAddress, primary, builder => builder.ConfigureAdditionalHttpMessageHandlers((handlers, services) =>
        {
            var index = handlers.IndexOf(handlers.OfType<ResiliencePipelineHandler>().Single());
            built ??= pipeline(services.GetRequiredService<ILoggerFactory>());
            handlers[index] = new ResiliencePipelineHandler(built, SyncSummaryAnswer.ReadAsync);
        }));
    }

    private static async Task Checked(Func<Task<int>> call, int expected)
    {
        if (await call() != expected)
        {
            throw new InvalidOperationException("A contender read the wrong number of summaries.");
        }
    }

    private static async Task MeasureAsync(string scenario, (string Name, Func<Task> Call)[] contenders, int requestsPerCall, int rounds)
    {
        // Warm up: every contender for WarmUpTime, twice over, so that the JIT has moved the hot code to its optimised
        // tier before the first timed batch. Then size the batches so that the baseline's takes about BatchTime.
        var batch = 3;
        for (var pass = 0; pass < 2; pass++)
        {
            for (var k = 0; k < contenders.Length; k++)
            {
                var calls = 0;
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed < WarmUpTime || calls < 3)
                {
                    await contenders[k].Call();
                    calls++;
                }

                if (k == 0)
                {
                    batch = Math.Max(3, (int)(calls * BatchTime / watch.Elapsed));
                }
            }
        }

        var times = contenders.Select(_ => new double[rounds]).ToArray();
        var bytes = contenders.Select(_ => new double[rounds]).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var step = 0; step < contenders.Length; step++)
            {
                var k = (round + step) % contenders.Length;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < batch; i++)
                {
                    await contenders[k].Call();
                }

                watch.Stop();
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                times[k][round] = watch.Elapsed.TotalMicroseconds / (batch * (double)requestsPerCall);
                bytes[k][round] = allocated / (batch * (double)requestsPerCall);
            }
        }

        for (var k = 0; k < contenders.Length; k++)
        {
            var ratios = times[k].Zip(times[0], static (time, baseline) => time / baseline).ToArray();
            var allocRatio = Median(bytes[k]) / Median(bytes[0]);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {scenario} | {contenders[k].Name} | {Median(times[k]):N2} µs | {(k == 0 ? "1.00" : $"**{Median(ratios):0.00}**")} | {(k == 0 ? "–" : $"{ratios.Min():0.00}–{ratios.Max():0.00}")} | {Median(bytes[k]) / 1024:N2} KB | {allocRatio:0.00} |"));
        }
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[sorted.Length / 2] + sorted[(sorted.Length - 1) / 2]) / 2;
    }
}
