using BenchmarkDotNet.Attributes;
using Leaf.Sdk.Benchmarks.Contenders;
using Leaf.Sdk.Http;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Leaf.Sdk.Benchmarks.Scenarios;

/// <summary>
/// Where the SDK's fixed cost per call goes: its call built up one layer at a time over the in-memory transport, with
/// 1 summary (where fixed costs show most). Each numbered row adds one layer to the row above; the differences are the
/// layers' costs. Not part of the default run: <c>-- --filter *Breakdown*</c>.
/// </summary>
[MemoryDiagnoser]
public class BreakdownBenchmarks
{
    private readonly List<IDisposable> _owned = [];
    private ContenderSet? _contenders;
    private ILeafIntegrationsApi? _refit;
    private ILeafIntegrationsApi? _bearer;
    private ILeafIntegrationsApi? _resilienceHandler;
    private ILeafIntegrationsApi? _pipeline;
    private Func<Task<SyncSummaryResponse>>? _client;
    private Func<Task<SyncSummaryResponse>>? _lean;
    private Func<Task<SyncSummaryResponse>>? _logged;
    private Action<HttpClient>? _configure;
    private Func<Task<int>>? _pollyAlone;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var body = Payloads.Body(1);
        _contenders = ContenderSet.InMemory(body);
        await _contenders.VerifyAsync(1);

        var options = new LeafClientOptions { BaseAddress = ContenderSet.InMemoryBaseAddress, AccessToken = ContenderSet.Token };
        var pipeline = new LeafHttpPipeline(options, null, () => throw new InvalidOperationException("no login"), TimeProvider.System, NullLoggerFactory.Instance);
        _configure = pipeline.ConfigureHttpClient;
        List<DelegatingHandler> Handlers() => [.. pipeline.CreateResourceHandlers()];

        _refit = Api(new CannedHandler(body));
        _bearer = Api(LeafHttpPipeline.Chain(Handlers()[1..], new CannedHandler(body)));
        _resilienceHandler = Api(LeafHttpPipeline.Chain(
            [new ResiliencePipelineHandler(ResiliencePipeline<HttpResponseMessage>.Empty, SyncSummaryAnswer.ReadAsync), .. Handlers()[1..]],
            new CannedHandler(body)));
        _pipeline = Api(LeafHttpPipeline.Chain(Handlers(), new CannedHandler(body)));
        var client = new IntegrationsClient(Http(LeafHttpPipeline.Chain(Handlers(), new CannedHandler(body)), configure: false), pipeline);
        _owned.Add(client);
        _client = () => client.GetResourcesAsync();

        // The same Polly pipeline with no HTTP at all: an attempt that is already done, with a cancellable token like
        // the one HttpClient hands its handlers. What Polly costs by itself, in the same run as the baseline.
        var resources = pipeline.Resources;
        var done = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        var cancellation = new CancellationTokenSource();
        _owned.Add(done);
        _owned.Add(cancellation);
        _pollyAlone = () => ExecuteAloneAsync(resources, done, cancellation.Token).AsTask();

        // The price of the two strategies a user can switch off: time-outs and telemetry stay.
        var leanOptions = new LeafClientOptions { BaseAddress = ContenderSet.InMemoryBaseAddress, AccessToken = ContenderSet.Token, MaxRetries = 0, EnableCircuitBreaker = false };
        var leanPipeline = new LeafHttpPipeline(leanOptions, null, () => throw new InvalidOperationException("no login"), TimeProvider.System, NullLoggerFactory.Instance);
        var lean = new IntegrationsClient(Http(LeafHttpPipeline.Chain(leanPipeline.CreateResourceHandlers(), new CannedHandler(body)), configure: false), leanPipeline);
        _owned.Add(lean);
        _lean = () => lean.GetResourcesAsync();

        // An app that logs at Information (the ASP.NET Core default): every record that passes the level is formatted,
        // as a real provider would, then dropped.
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FormattingProvider()).SetMinimumLevel(LogLevel.Information));
        _owned.Add(loggerFactory);
        var loggedPipeline = new LeafHttpPipeline(options, null, () => throw new InvalidOperationException("no login"), TimeProvider.System, loggerFactory);
        var logged = new IntegrationsClient(Http(LeafHttpPipeline.Chain(loggedPipeline.CreateResourceHandlers(), new CannedHandler(body)), configure: false), loggedPipeline);
        _owned.Add(logged);
        _logged = () => logged.GetResourcesAsync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _contenders?.Dispose();
        _owned.ForEach(d => d.Dispose());
        _owned.Clear();
    }

    [Benchmark(Baseline = true, Description = "HttpClient+STJ")]
    public Task<int> HandWritten() => _contenders!.HandWrittenAsync();

    [Benchmark(Description = "Refit")]
    public Task<int> PlainRefit() => _contenders!.PlainRefitAsync();

    [Benchmark(Description = "1 SDK's Refit client + parser")]
    public Task<int> RefitAndParser() => CallAndParse(_refit!);

    [Benchmark(Description = "2 + bearer-token handler")]
    public Task<int> BearerHandler() => CallAndParse(_bearer!);

    [Benchmark(Description = "3 + resilience handler (reads the answer), empty pipeline")]
    public Task<int> ResilienceHandlerOnly() => Call(_resilienceHandler!);

    [Benchmark(Description = "4 + the Leaf Polly pipeline")]
    public Task<int> PollyPipeline() => Call(_pipeline!);

    [Benchmark(Description = "5 + IntegrationsClient")]
    public async Task<int> Client() => (await _client!()).Summaries.Count;

    [Benchmark(Description = "6 + IHttpClientFactory (AddLeafSdk)")]
    public Task<int> AddLeafSdk() => _contenders!.IntegrationsClientAsync();

    [Benchmark(Description = "the Leaf Polly pipeline alone, no HTTP")]
    public Task<int> PollyAlone() => _pollyAlone!();

    [Benchmark(Description = "5 with MaxRetries = 0, EnableCircuitBreaker = false")]
    public async Task<int> ClientWithoutRetryOrBreaker() => (await _lean!()).Summaries.Count;

    [Benchmark(Description = "5 with logs at Information")]
    public async Task<int> ClientLoggingAtInformation() => (await _logged!()).Summaries.Count;

    /// <summary>
    /// One execution of <paramref name="pipeline"/> with no HTTP: its attempt is already done and answers
    /// <paramref name="done"/>. What Polly costs by itself; the interleaved mode's part-by-part rows run the same.
    /// </summary>
    internal static async ValueTask<int> ExecuteAloneAsync(ResiliencePipeline<HttpResponseMessage> pipeline, HttpResponseMessage done, CancellationToken token)
    {
        var context = ResilienceContextPool.Shared.Get(token);
        var outcome = await pipeline.ExecuteOutcomeAsync(static (_, done) => ValueTask.FromResult(Outcome.FromResult(done)), context, done);
        ResilienceContextPool.Shared.Return(context);
        return ReferenceEquals(outcome.Result, done)
            ? (int)done.StatusCode
            : throw new InvalidOperationException("The pipeline did not hand back the attempt's answer.");
    }

    private static async Task<int> CallAndParse(ILeafIntegrationsApi api)
    {
        using var response = await api.GetResourcesAsync(null, null, new CallState(0), default);
        return (await SyncSummaryParser.ParseAsync(response.Content, null, default)).Summaries.Count;
    }

    private static async Task<int> Call(ILeafIntegrationsApi api)
    {
        var state = new CallState(0);
        using var response = await api.GetResourcesAsync(null, null, state, default);
        return state.Result!.Summaries.Count;
    }

    private ILeafIntegrationsApi Api(HttpMessageHandler handler) => LeafHttpPipeline.CreateApi(Http(handler));

    // Configured as the SDK configures its own (base address, User-Agent, no HttpClient time-out), so every row pays for
    // the same HttpClient; IntegrationsClient configures the one it is given itself.
    private HttpClient Http(HttpMessageHandler handler, bool configure = true)
    {
        var client = new HttpClient(handler);
        if (configure)
        {
            _configure!(client);
        }

        _owned.Add(client);
        return client;
    }

    /// <summary>Formats every record it is given, as a console or file provider would before writing, and drops it.</summary>
    private sealed class FormattingProvider : ILoggerProvider, ILogger
    {
        // Keeps the formatted text observable, so the formatting cannot be optimised away.
        private static int _formatted;

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _formatted += formatter(state, exception).Length;
    }
}
