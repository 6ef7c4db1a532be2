using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Leaf.Sdk.Benchmarks.Contenders;

namespace Leaf.Sdk.Benchmarks.Scenarios;

/// <summary>
/// The three contenders against Kestrel on 127.0.0.1 (same process), 32 callers at once. One benchmark invocation
/// is <see cref="Callers"/> × <see cref="CallsPerCaller"/> requests, declared as OperationsPerInvoke, so BenchmarkDotNet's
/// Mean is the time per request under that load and Op/s is requests per second.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class LoopbackBenchmarks
{
    public const int Callers = 32;
    public const int CallsPerCaller = 4;
    private const int Requests = Callers * CallsPerCaller;

    private LoopbackServer? _server;
    private ContenderSet? _contenders;

    /// <summary>9 = one user, every provider; 10,000 ≈ 1.5 MB.</summary>
    [Params(9, 10_000)]
    public int Summaries { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LoopbackServer.StartAsync(Payloads.Body(Summaries));
        _contenders = ContenderSet.Sockets(_server.BaseAddress);
        await _contenders.VerifyAsync(Summaries);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _contenders?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true, Description = "HttpClient+STJ", OperationsPerInvoke = Requests)]
    public Task HandWritten() => Fan(_contenders!.HandWrittenAsync, Summaries);

    [Benchmark(Description = "Refit", OperationsPerInvoke = Requests)]
    public Task PlainRefit() => Fan(_contenders!.PlainRefitAsync, Summaries);

    [Benchmark(Description = "IntegrationsClient", OperationsPerInvoke = Requests)]
    public Task IntegrationsClient() => Fan(_contenders!.IntegrationsClientAsync, Summaries);

    /// <summary><see cref="Callers"/> callers at once, each making <see cref="CallsPerCaller"/> calls in a row.</summary>
    internal static Task Fan(Func<Task<int>> call, int expected)
    {
        var callers = new Task[Callers];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = Task.Run(async () =>
            {
                for (var n = 0; n < CallsPerCaller; n++)
                {
                    if (await call() != expected)
                    {
                        throw new InvalidOperationException("A caller read the wrong number of summaries.");
                    }
                }
            });
        }

        return Task.WhenAll(callers);
    }
}
