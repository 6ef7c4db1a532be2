using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Leaf.Sdk.Benchmarks;
using Leaf.Sdk.Benchmarks.Scenarios;

// dotnet run -c Release --project benchmarks/Leaf.Sdk.Benchmarks [-- MODE] [BenchmarkDotNet arguments]
//   (no mode)        full: in-memory and loopback with BenchmarkDotNet's default job, then 10 cold starts; --filter *Breakdown* for the layers
//   --quick          a short in-process job (under 3 minutes on 2 cores), then 3 cold starts (AOT only if published);
//                    CI runs it with --filter * (.ci/bench-smoke.sh)
//   --smoke          one in-process Dry pass over every benchmark, no cold start (a fast check that everything runs)
//   --cold-start [N] only the cold-start measurement (JIT and Native AOT samples), N runs each (default 10)
//   --interleaved [N] the three contenders (and the SDK with an empty Polly pipeline) in alternating batches in one
//                    process, N rounds (default 21): ratios within each round, so a machine's drift cancels out;
//                    then the SDK's Polly pipeline part by part, in place and alone (~55 s)
// Any other arguments go to BenchmarkDotNet, e.g. --filter *InMemory*.
var mode = args.FirstOrDefault(a => a is "--quick" or "--smoke" or "--cold-start" or "--interleaved" or "--full") ?? "--full";
var rest = args.Where(a => a != mode).ToList();
int Count(int fallback) => rest.Count > 0 && int.TryParse(rest[0], out var n) && n > 0 ? n : fallback;

if (mode == "--cold-start")
{
    return await ColdStart.RunAsync(Count(10), publishAot: true);
}

if (mode == "--interleaved")
{
    return await InterleavedRun.RunAsync(Count(21));
}

var job = mode switch
{
    "--smoke" => Job.Dry.WithToolchain(InProcessEmitToolchain.Instance),
    "--quick" => Job.Default
        .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(6)
        .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
        .WithToolchain(InProcessEmitToolchain.Instance),
    _ => Job.Default,
};
var config = DefaultConfig.Instance
    .AddJob(job.WithId(mode.TrimStart('-')))
    .AddColumn(StatisticColumn.OperationsPerSecond)
    .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared))
    .WithOptions(ConfigOptions.StopOnFirstError);
if (!rest.Contains("--filter"))
{
    // The layer-by-layer breakdown is a profiling aid, run on request (--filter *Breakdown*); the smoke run checks it.
    rest.AddRange(mode == "--smoke" ? ["--filter", "*"] : ["--filter", "*InMemory*", "*Loopback*"]);
}

var summaries = BenchmarkSwitcher.FromTypes([typeof(InMemoryBenchmarks), typeof(LoopbackBenchmarks), typeof(BreakdownBenchmarks)]).Run([.. rest], config);
var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
if (failed)
{
    Console.Error.WriteLine("A benchmark failed; see the log above.");
    return 1;
}

if (mode == "--smoke")
{
    return 0;
}

// The quick mode measures the AOT sample only if it is already published: publishing takes longer than the rest.
return await ColdStart.RunAsync(mode == "--quick" ? 3 : 10, publishAot: mode != "--quick");
