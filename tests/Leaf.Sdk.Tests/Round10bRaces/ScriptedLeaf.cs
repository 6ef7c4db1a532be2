using System.Net;
using System.Text;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round10bRaces;

/// <summary>
/// An in-memory Leaf behind the DI client's primary handler: every request goes to <see cref="Script"/>, so a test can
/// hold any request on a gate and decide its answer after the other callers have run. Counts requests and how many are
/// in flight at once.
/// </summary>
internal sealed class ScriptedLeaf : HttpMessageHandler
{
    private int _requests;
    private int _inFlight;
    private int _maxInFlight;

    public static readonly Uri Root = new("https://leaf.test");

    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Script { get; set; } =
        static (_, _) => Task.FromResult(Ok());

    public int Requests => Volatile.Read(ref _requests);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public void ResetMaxInFlight() => Volatile.Write(ref _maxInFlight, Volatile.Read(ref _inFlight));

    public static HttpResponseMessage Ok() => new(HttpStatusCode.OK)
    {
        Content = new StringContent(LeafJson.DocumentedExample, Encoding.UTF8, "application/json"),
    };

    public static HttpResponseMessage Status(HttpStatusCode status) => new(status)
    {
        Content = new StringContent("""{"title":"scripted"}""", Encoding.UTF8, "application/problem+json"),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        try
        {
            var response = await Script(request, cancellationToken).ConfigureAwait(false);
            response.RequestMessage = request;
            return response;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}

/// <summary>A DI client over a <see cref="ScriptedLeaf"/>, a fake clock and every log record.</summary>
internal sealed class ScriptedWorld : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    private readonly ILoggerFactory _loggerFactory;
    private readonly TestClient _client;

    public ScriptedWorld(Action<LeafClientOptions> configure)
    {
        Logs = new FakeLoggerProvider();
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        var options = new LeafClientOptions
        {
            BaseAddress = ScriptedLeaf.Root,
            AccessToken = "static-token",
            MaxRetries = 0,
            AttemptTimeout = TimeSpan.FromSeconds(10),
            TotalTimeout = TimeSpan.FromSeconds(60),
            EnableCircuitBreaker = true,
        };
        configure(options);
        _client = TestClient.Create(ClientKind.DependencyInjection, options, Time, _loggerFactory, client: b => b.ConfigurePrimaryHttpMessageHandler(() => Leaf));
    }

    public ScriptedLeaf Leaf { get; } = new();

    public FakeTimeProvider Time { get; } = new(Epoch);

    public FakeLoggerProvider Logs { get; }

    public IIntegrationsClient Client => _client.Client;

    public int LogCount(string text) => Logs.Collector.GetSnapshot().Count(r => r.Message.Contains(text, StringComparison.Ordinal));

    public void Dispose()
    {
        _client.Dispose();
        _loggerFactory.Dispose();
        Logs.Dispose();
    }
}
