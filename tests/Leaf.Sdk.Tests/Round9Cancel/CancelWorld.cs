using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Leaf.Sdk.Tests.Round9Cancel;

/// <summary>How the client gets its token.</summary>
public enum Auth
{
    StaticToken,
    TokenSource,
    Login,
}

/// <summary>
/// One test's world: a <see cref="CancelServer"/>, a fake clock nothing moves unless the test does (so any wait on it,
/// a back-off, a Retry-After or a time-out, can only end by cancellation), every log record, and a client of the given
/// kind and authentication.
/// </summary>
internal sealed class CancelWorld : IDisposable
{
    public static readonly DateTimeOffset Epoch = ResilienceHarness.Epoch;
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RealTimeBound = TimeSpan.FromSeconds(10);

    private readonly ILoggerFactory _loggerFactory;
    private TestClient? _client;

    public CancelWorld(ClientKind kind, Auth auth, Action<LeafClientOptions>? configure = null)
    {
        Kind = kind;
        Auth = auth;
        Server = new CancelServer { LoginToken = AuthStub.Jwt(Epoch + TimeSpan.FromHours(1)) };
        Time = new TimerCountingTimeProvider(Epoch);
        Logs = new FakeLoggerProvider(new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions { TimeProvider = Time })));
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        Options = new LeafClientOptions
        {
            BaseAddress = Server.Url,
            MaxRetries = 3,
            RetryBaseDelay = TimeSpan.FromSeconds(1),
            AttemptTimeout = AttemptTimeout,
            TotalTimeout = TimeSpan.FromSeconds(60),
            EnableCircuitBreaker = true,
        };
        switch (auth)
        {
            case Auth.StaticToken:
                Options.AccessToken = "static-token";
                break;
            case Auth.TokenSource:
                Options.TokenSource = Source;
                break;
            default:
                Options.Username = AuthStub.Username;
                Options.Password = AuthStub.Password;
                break;
        }

        configure?.Invoke(Options);
    }

    public ClientKind Kind { get; }

    public Auth Auth { get; }

    public CancelServer Server { get; }

    public TimerCountingTimeProvider Time { get; }

    public FakeLoggerProvider Logs { get; }

    public LeafClientOptions Options { get; }

    public HeldTokenSource Source { get; } = new();

    /// <summary>The answers of the DI client's transport (the standalone client's cannot be reached), each one counted.</summary>
    public ResponseLedger Ledger { get; } = new();

    /// <summary>The client, built on first use so a test can still change <see cref="Options"/>.</summary>
    public IIntegrationsClient Client => (_client ??= TestClient.Create(
        Kind, Options, Time, _loggerFactory, client: b => b.ConfigurePrimaryHttpMessageHandler(Ledger.PrimaryHandler))).Client;

    /// <summary>Every record at Warning or above, but the SDK's "Retrying" events (a 503 before the cancellation is one).</summary>
    public IReadOnlyList<FakeLogRecord> Complaints =>
        [.. Logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning && !(r.Id.Id == 2 && r.Category == "Leaf.Sdk.Resilience"))];

    /// <summary>The SDK's "Retrying" events.</summary>
    public int Retries => Logs.Collector.GetSnapshot().Count(r => r.Id.Id == 2 && r.Category == "Leaf.Sdk.Resilience");

    /// <summary>Attempts whose status line and headers came back (event 9, logged before the body is read).</summary>
    public int Answered => Logs.Collector.GetSnapshot().Count(r => r.Id.Id == 9 && r.Category == "Leaf.Sdk.Authentication");

    /// <summary>Logins, or the token source's first-token requests, made so far.</summary>
    public int TokenRequests => Auth == Auth.Login ? Server.LoginRequests : Source.Requests;

    /// <summary>Lets every held login or token request go.</summary>
    public void Release()
    {
        Server.ReleaseLogins();
        Source.Release();
    }

    /// <summary>Waits (real time, bounded) until the client has closed every connection it gave up on.</summary>
    public Task AllConnectionsClosedAsync() =>
        ResilienceHarness.WaitUntilAsync(() => Server.OpenConnections == 0, $"the client closed every connection ({Server.OpenConnections} open)");

    public static string Describe(IEnumerable<FakeLogRecord> records) =>
        string.Join(Environment.NewLine, records.Select(r => $"{r.Level} {r.Category}[{r.Id.Id}] {r.Message}"));

    public void Dispose()
    {
        _client?.Dispose();
        _loggerFactory.Dispose();
        Logs.Dispose();
        Server.Dispose();
    }
}
