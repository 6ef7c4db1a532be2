using System.Net;
using System.Net.Http.Headers;
using Leaf.Sdk.Authentication;
using Leaf.Sdk.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Refit;

namespace Leaf.Sdk.Http;

/// <summary>
/// The one place the HTTP pipeline is assembled, for the standalone client and the DI registration alike:
/// resilience (total time-out → retry → circuit breaker → attempt time-out; each attempt reads its answer) → bearer
/// token → sockets.
/// Holds what must outlive a handler rotation: the Polly pipelines (circuit state) and the token source (cache).
/// </summary>
internal sealed class LeafHttpPipeline : IDisposable
{
    internal const string ClientName = "Leaf.Sdk";

    /// <summary>The Sync Summary's path under the API root: where Refit sends the call, and what BaseAddress must not end with.</summary>
    internal const string ResourcesPath = "/services/integrations/api/resources";
    internal const string LoginClientName = Microsoft.Extensions.DependencyInjection.LeafServiceCollectionExtensions.LoginHttpClientName;

    private static readonly ProductInfoHeaderValue UserAgent =
        new("Leaf.Sdk", typeof(LeafHttpPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private readonly ILogger _authLogger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _stackedResilienceReported = new(StringComparer.Ordinal);

    /// <param name="options">The settings, fixed for the pipeline's lifetime.</param>
    /// <param name="registeredTokenSource">A token source from DI, if any.</param>
    /// <param name="loginClient">Creates the HttpClient the login goes through.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">The loggers.</param>
    /// <param name="currentAccessToken">
    /// Reads the access token as configured now (DI, reloadable configuration); a read that is blank, or that throws
    /// because a reload broke the options, falls back to the last token read well (at first, the one
    /// <paramref name="options"/> started with).
    /// </param>
    public LeafHttpPipeline(
        LeafClientOptions options,
        ILeafTokenSource? registeredTokenSource,
        Func<HttpClient> loginClient,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        Func<string?>? currentAccessToken = null)
    {
        Options = options;
        Time = time;
        LoggerFactory = loggerFactory;
        _authLogger = loggerFactory.CreateLogger("Leaf.Sdk.Authentication");
        Resources = LeafResiliencePipelineFactory.Create(options, forLogin: false, time, loggerFactory);
        Login = LeafResiliencePipelineFactory.Create(options, forLogin: true, time, loggerFactory);
        TokenSource = options.TokenSource
            ?? registeredTokenSource
            ?? (options.AccessToken is { } token && !string.IsNullOrWhiteSpace(token)
                ? new StaticTokenSource(currentAccessToken is null ? () => token : new ReloadableToken(currentAccessToken, token).Read)
                : new LeafLoginTokenSource(loginClient, options, time, _authLogger));
    }

    public LeafClientOptions Options { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILeafTokenSource TokenSource { get; }

    public ResiliencePipeline<HttpResponseMessage> Resources { get; }

    public ResiliencePipeline<HttpResponseMessage> Login { get; }

    /// <summary>
    /// Says once (per client name, for this pipeline's lifetime: not again at every handler rotation) that AddLeafSdk
    /// took a resilience handler the app adds to every HttpClient off the SDK's client.
    /// </summary>
    public void ReportStackedResilienceRemoved(string client, string handler)
    {
        if (_stackedResilienceReported.TryAdd(client, 0))
        {
            Diagnostics.Log.StackedResilienceRemoved(LoggerFactory.CreateLogger("Leaf.Sdk.Resilience"), handler, client);
        }
    }

    /// <summary>
    /// Ends the SDK's own login if one is in flight (a token source of the user's is the user's). The DI container calls
    /// it as the service provider is disposed: IHttpClientFactory does not end the requests of its handlers then.
    /// </summary>
    public void Dispose() => (TokenSource as LeafLoginTokenSource)?.Dispose();

    /// <summary>The delegating handlers of the Sync Summary client, outermost first. New instances on every call.</summary>
    public IEnumerable<DelegatingHandler> CreateResourceHandlers()
    {
        yield return new ResiliencePipelineHandler(Resources, SyncSummaryAnswer.ReadAsync);
        yield return new BearerTokenHandler(TokenSource, Options.BaseAddress, _authLogger) { Time = Time };
    }

    /// <summary>
    /// The delegating handlers of the login client: resilience only (each attempt reads its answer and counts itself),
    /// and never a bearer token.
    /// </summary>
    public IEnumerable<DelegatingHandler> CreateLoginHandlers()
    {
        yield return new ResiliencePipelineHandler(Login, LoginAnswer.ReadAsync, countsAttempts: true);
    }

    /// <summary>Pooled connections; redirects are not followed so a token never travels to another host.</summary>
    /// <param name="connectTimeout">
    /// How long a new connection may take, TCP and TLS handshake (<see cref="ConnectTimeout"/>). .NET lets a connection
    /// go on being set up after the attempt that asked for it gave up, and hands the next requests to it; without a
    /// bound (.NET's default) one handshake that stalled held every later call until its attempt time-out, for as long
    /// as the stalled connection stayed open, while a new connection would have been served.
    /// </param>
    public static SocketsHttpHandler CreatePrimaryHandler(TimeSpan? connectTimeout = null) => new()
    {
        ConnectTimeout = connectTimeout ?? Timeout.InfiniteTimeSpan,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseCookies = false,
    };

    /// <summary>
    /// The bound on setting up a new connection: the attempt time-out, when attempts are timed on the real clock.
    /// .NET's ConnectTimeout runs on the real clock only; under a clock of the app's own (a FakeTimeProvider in tests)
    /// the SDK cannot say how long an attempt is in real time, and an AttemptTimeout of a few milliseconds of test time
    /// then failed connections to a local server at random on a loaded machine. There it is .NET's default, no bound.
    /// </summary>
    public TimeSpan ConnectTimeout => ReferenceEquals(Time, TimeProvider.System) ? Options.AttemptTimeout : Timeout.InfiniteTimeSpan;

    public void ConfigureHttpClient(HttpClient client)
    {
        client.BaseAddress = Options.BaseAddress;

        // The pipeline owns every time-out; HttpClient's own 100 s default must not cut it short.
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.UserAgent.Add(UserAgent);
    }

    /// <summary>The Refit client over <paramref name="client"/>, surfacing the handler chain's exceptions unwrapped.</summary>
    public static ILeafIntegrationsApi CreateApi(HttpClient client) => RestService.ForGenerated<ILeafIntegrationsApi>(client, ApiSettings);

    // Refit wraps whatever SendAsync throws in ApiRequestException by default, which would hide the SDK's own
    // LeafApiException (a body that does not parse) and the network, time-out and circuit exceptions that
    // LeafErrors maps into messages.
    private static readonly RefitSettings ApiSettings = new()
    {
        TransportExceptionFactory = static (_, exception, _) => exception,
    };

    /// <summary>Links handlers over a primary handler, outermost first, as IHttpClientFactory would.</summary>
    public static HttpMessageHandler Chain(IEnumerable<DelegatingHandler> handlers, HttpMessageHandler primary)
    {
        var list = handlers.ToList();
        for (var i = list.Count - 1; i >= 0; i--)
        {
            list[i].InnerHandler = i == list.Count - 1 ? primary : list[i + 1];
        }

        return list.Count > 0 ? list[0] : primary;
    }

    /// <summary>
    /// The access token as configured now. A reload that leaves it blank, or that broke the options, keeps the last token
    /// read well: calls that worked must not start failing, nor fall back to a start-up token a rotation has revoked.
    /// </summary>
    private sealed class ReloadableToken(Func<string?> read, string startUp)
    {
        private string _lastGood = startUp;

        public string Read()
        {
            try
            {
                if (read() is { } token && !string.IsNullOrWhiteSpace(token))
                {
                    Volatile.Write(ref _lastGood, token);
                    return token;
                }
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException)
            {
                // The broken reload is reported where it happened (the options monitor); the calls go on.
            }

            return Volatile.Read(ref _lastGood);
        }
    }
}
