using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Leaf.Sdk.Benchmarks.Contenders;

namespace Leaf.Sdk.Benchmarks.Scenarios;

/// <summary>The client's own cost: one call at a time over an in-memory transport that serves canned bytes.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class InMemoryBenchmarks
{
    private ContenderSet? _contenders;

    /// <summary>1 = Leaf's documented example; 9 = one user, every provider; 10,000 ≈ 1.5 MB.</summary>
    [Params(1, 9, 10_000)]
    public int Summaries { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _contenders = ContenderSet.InMemory(Payloads.Body(Summaries));
        await _contenders.VerifyAsync(Summaries);
    }

    [GlobalCleanup]
    public void Cleanup() => _contenders?.Dispose();

    [Benchmark(Baseline = true, Description = "HttpClient+STJ")]
    public Task<int> HandWritten() => _contenders!.HandWrittenAsync();

    [Benchmark(Description = "Refit")]
    public Task<int> PlainRefit() => _contenders!.PlainRefitAsync();

    [Benchmark(Description = "IntegrationsClient")]
    public Task<int> IntegrationsClient() => _contenders!.IntegrationsClientAsync();
}
