using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Leaf.Sdk.Testing;

/// <summary>
/// An in-process fake of Leaf's API on a free loopback port: the Sync Summary endpoint (filtered by provider and
/// Leaf user, as Leaf filters) and the login, with bearer tokens checked as Leaf checks them. Test your code that
/// uses Leaf.Sdk against it, simulate outages, rate limits, latency and token expiry, and assert on its journal.
/// </summary>
/// <example>
/// <code>
/// using var server = FakeLeafServer.Start();
/// using var client = new IntegrationsClient(server.CreateClientOptions());
/// var response = await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);
/// </code>
/// </example>
public sealed class FakeLeafServer : IDisposable
{
    /// <summary>The Sync Summary path.</summary>
    public const string ResourcesPath = "/services/integrations/api/resources";

    /// <summary>The login path.</summary>
    public const string LoginPath = "/api/authenticate";

    // Task.Delay's limit on a TimeProvider: beyond it the wait threw inside the handler and every answer was a 500.
    private static readonly TimeSpan MaxLatency = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    // HttpClient reads Retry-After's seconds as an int: a longer wait was a header it dropped, and no wait at all.
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(int.MaxValue);

    private readonly WireMockServer _server;
    private readonly FakeLeafServerOptions _options;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeLeafRequest> _journal = new();
    private int _journalLength;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private List<SyncSummary> _summaries = [];
    private readonly Queue<ScriptedFailure> _scriptedFailures = new();
    private int _logins;
    private long _latencyTicks;
    private int _disposed;

    private FakeLeafServer(FakeLeafServerOptions options)
    {
        _options = options;
        // Loopback only: the fake hands out demo credentials, which nobody else on the network should be able to use.
        _server = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],

            // The journal is ours (without credentials). WireMock's own log kept every request, the login's password
            // and each bearer token included, with no limit: a demo server answering health probes grew without end.
            MaxRequestLogCount = 0,
        });
        BaseAddress = new Uri(_server.Url!.Replace("://localhost", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute);
        AccessToken = IssueToken(TimeSpan.FromDays(3650));
        if (options.SeedDemoData)
        {
            Seed(DemoData.Create(options.TimeProvider.GetUtcNow()));
        }

        _server.Given(Request.Create().WithPath(ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(HandleResourcesAsync));
        _server.Given(Request.Create().WithPath(LoginPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(HandleLoginAsync));
    }

    /// <summary>The server's API root (<c>http://127.0.0.1:{port}</c>), loopback only.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A long-lived token the server accepts, for clients configured with a fixed token.</summary>
    public string AccessToken { get; }

    /// <summary>The username the login accepts.</summary>
    public string Username => _options.Username;

    /// <summary>The password the login accepts.</summary>
    public string Password => _options.Password;

    /// <summary>How many logins the server answered (successful or not).</summary>
    public int LoginCount => Volatile.Read(ref _logins);

    /// <summary>
    /// The requests to the Sync Summary and login endpoints, in order. Only the latest 10,000 are kept, so that a demo
    /// server answering for days does not grow without end. Credentials are never recorded.
    /// </summary>
    public IReadOnlyList<FakeLeafRequest> Requests => [.. _journal];

    /// <summary>The summaries the server currently serves.</summary>
    public IReadOnlyList<SyncSummary> Summaries
    {
        get
        {
            lock (_gate)
            {
                return [.. _summaries];
            }
        }
    }

    /// <summary>
    /// Extra time before every answer, on <see cref="FakeLeafServerOptions.TimeProvider"/>'s clock: with a fake clock,
    /// an answer waits until the clock has been advanced by this much. Defaults to none. <see cref="Timeout.InfiniteTimeSpan"/>
    /// holds every answer until the server is disposed, as a server that hangs. Safe to change while calls run: each
    /// answer waits for the latency set when its request arrived.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or longer than 4,294,967,294 ms
    /// (about 49.7 days), the longest wait a <see cref="TimeProvider"/> timer takes.
    /// </exception>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _latencyTicks));
        set
        {
            if (value != Timeout.InfiniteTimeSpan && (value < TimeSpan.Zero || value > MaxLatency))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Latency must be from zero to 4,294,967,294 ms (about 49.7 days), or Timeout.InfiniteTimeSpan for a server that never answers.");
            }

            Volatile.Write(ref _latencyTicks, value.Ticks);
        }
    }

    /// <summary>Starts a fake server on a free loopback port.</summary>
    /// <param name="options">
    /// Settings; the defaults seed <see cref="DemoData"/>. Read once, here: changing them afterwards does not change
    /// the running server, so one options object can start several.
    /// </param>
    /// <returns>The running server. Dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> has no <see cref="FakeLeafServerOptions.TimeProvider"/>, an empty or white-space
    /// <see cref="FakeLeafServerOptions.Username"/>, or an empty <see cref="FakeLeafServerOptions.Password"/>, with which
    /// no client could log in; or it seeds <see cref="DemoData"/> on a clock that reads less than nine days after
    /// <see cref="DateTimeOffset.MinValue"/>.
    /// </exception>
    public static FakeLeafServer Start(FakeLeafServerOptions? options = null) => new(Snapshot(options ?? new FakeLeafServerOptions()));

    /// <summary>Client options that point at this server and use <see cref="AccessToken"/>, with short time-outs fit for tests.</summary>
    /// <returns>New options; change them freely.</returns>
    public LeafClientOptions CreateClientOptions() => new()
    {
        BaseAddress = BaseAddress,
        AccessToken = AccessToken,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>Client options that point at this server and log in with <see cref="Username"/> and <see cref="Password"/>.</summary>
    /// <returns>New options; change them freely.</returns>
    public LeafClientOptions CreateLoginOptions()
    {
        var options = CreateClientOptions();
        options.AccessToken = null;
        options.Username = Username;
        options.Password = Password;
        return options;
    }

    /// <summary>Replaces the summaries the server serves.</summary>
    /// <param name="summaries">
    /// The new summaries. A summary's <see cref="SyncSummary.ProviderName"/> is what the server sends; left empty, the
    /// <see cref="SyncSummary.Provider"/>'s API name is sent.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="summaries"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A summary is one Leaf could not send: <see langword="null"/>, with a negative count, a
    /// <see cref="SyncSummary.ProviderName"/> that names another provider than <see cref="SyncSummary.Provider"/>, or
    /// neither a known provider nor a name. Nothing is replaced then.
    /// </exception>
    public void Seed(IEnumerable<SyncSummary> summaries)
    {
        var list = Validated(summaries);
        lock (_gate)
        {
            _summaries = list;
        }
    }

    /// <summary>Adds summaries to those the server serves.</summary>
    /// <param name="summaries">The summaries to add, as for <see cref="Seed"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="summaries"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A summary is one Leaf could not send, as for <see cref="Seed"/>. None is added then.</exception>
    public void Add(params IEnumerable<SyncSummary> summaries)
    {
        var list = Validated(summaries);
        lock (_gate)
        {
            _summaries.AddRange(list);
        }
    }

    /// <summary>Simulates an outage: the next <paramref name="count"/> requests (of any kind) fail with <paramref name="status"/>.</summary>
    /// <param name="count">How many requests fail; <see cref="int.MaxValue"/> for an outage that does not end.</param>
    /// <param name="status">The status to answer, a client or server error (400 to 599); 503 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is negative, or <paramref name="status"/> is not from 400 to 599.
    /// </exception>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.ServiceUnavailable)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((int)status is < 400 or > 599)
        {
            // A 2xx "failure" was a problem body with a success status, which the client read as an empty answer.
            throw new ArgumentOutOfRangeException(nameof(status), status, "FailNext simulates a failure: pass a status from 400 to 599.");
        }

        Script(count, status, null);
    }

    /// <summary>Simulates a rate limit: the next <paramref name="count"/> requests get 429 with <c>Retry-After</c>.</summary>
    /// <param name="count">How many requests are refused; <see cref="int.MaxValue"/> for a limit that does not end.</param>
    /// <param name="retryAfter">
    /// The wait to ask for, sent in whole seconds (rounded up); from zero to <see cref="int.MaxValue"/> seconds (about 68
    /// years), the longest an HTTP client reads.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is negative, or <paramref name="retryAfter"/> is negative or longer than
    /// <see cref="int.MaxValue"/> seconds.
    /// </exception>
    public void RateLimitNext(int count, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retryAfter, MaxRetryAfter);
        Script(count, HttpStatusCode.TooManyRequests, retryAfter);
    }

    /// <summary>Issues a token the server accepts until <paramref name="lifetime"/> has passed on its clock.</summary>
    /// <param name="lifetime">
    /// How long the token lives (its JWT <c>exp</c>): negative for a token that has already expired, and
    /// <see cref="TimeSpan.MaxValue"/> (or anything past the end of the calendar) for one that never does.
    /// </param>
    /// <returns>A JWT-shaped token (unsigned in any meaningful way; only this server accepts it).</returns>
    public string IssueToken(TimeSpan lifetime)
    {
        var now = _options.TimeProvider.GetUtcNow();

        // Saturated, not added: TimeSpan.MaxValue overflowed DateTimeOffset, here and in a login with such a lifetime (a 500).
        var expiresAt = lifetime > DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue
            : lifetime < DateTimeOffset.MinValue - now ? DateTimeOffset.MinValue
            : now + lifetime;
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
        // Written with a JSON writer: a username with a quote or backslash must not break the payload (and its exp).
        var claims = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(claims))
        {
            writer.WriteStartObject();
            writer.WriteString("sub", _options.Username);
            writer.WriteString("auth", "ROLE_USER");
            writer.WriteNumber("exp", expiresAt.ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        var payload = Base64Url(claims.WrittenSpan);
        var token = $"{header}.{payload}.{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        _tokens[token] = expiresAt;
        return token;
    }

    /// <summary>Revokes every token issued so far, <see cref="AccessToken"/> included: each answers 401 from now on.</summary>
    public void RevokeTokens() => _tokens.Clear();

    /// <summary>Makes every token issued so far expired, as if its <c>exp</c> had passed.</summary>
    public void ExpireTokens()
    {
        foreach (var token in _tokens.Keys)
        {
            _tokens[token] = DateTimeOffset.MinValue;
        }
    }

    /// <summary>Stops the server.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Answers still held by Latency go now: on a fake clock nobody advances any more, they would wait forever.
            _stopping.Cancel();
            _server.Stop();
            _server.Dispose();
        }
    }

    // A copy, checked before a port is opened: a missing clock threw after the server had started (and never stopped
    // it), and a change to a shared options object reached into servers already running.
    private static FakeLeafServerOptions Snapshot(FakeLeafServerOptions options)
    {
        if (options.TimeProvider is null)
        {
            throw new ArgumentException("FakeLeafServerOptions.TimeProvider is null: leave it unset for the system clock, or set a FakeTimeProvider.", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.Username))
        {
            throw new ArgumentException("FakeLeafServerOptions.Username is empty or white space: the SDK logs in only with a username, so no client could log in.", nameof(options));
        }

        if (string.IsNullOrEmpty(options.Password))
        {
            throw new ArgumentException("FakeLeafServerOptions.Password is empty: the SDK logs in only with a password, so no client could log in.", nameof(options));
        }

        // Found here, before the port is opened: seeding threw from DemoData after the server had started, and never
        // stopped it.
        if (options.SeedDemoData && options.TimeProvider.GetUtcNow() is var now && !DemoData.HasRoomBefore(now))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"FakeLeafServerOptions.TimeProvider reads {now:O}, too close to DateTimeOffset.MinValue for the demo data, whose oldest sync is nine days earlier: start the clock later, or set SeedDemoData = false."),
                nameof(options));
        }

        return new FakeLeafServerOptions
        {
            Username = options.Username,
            Password = options.Password,
            TokenLifetime = options.TokenLifetime,
            RememberMeTokenLifetime = options.RememberMeTokenLifetime,
            TimeProvider = options.TimeProvider,
            SeedDemoData = options.SeedDemoData,
            JournalCapacity = options.JournalCapacity,
        };
    }

    // Checked when seeded, where the test that wrote the summary is on the stack: served, a null summary was a 500 that
    // the client retried as Leaf's own outage, and a negative count a body the client refuses to read.
    private static List<SyncSummary> Validated(IEnumerable<SyncSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var list = summaries.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (Problem(list[i]) is { } problem)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"summaries[{i}]: {problem}"), nameof(summaries));
            }

            // Kept as served: Summaries listed a summary seeded with the enum only with an empty name, and a test that
            // compared the client's answer with it failed on a name the server itself had sent.
            list[i] = list[i].ProviderName.Length > 0 ? list[i] : list[i] with { ProviderName = WireName(list[i]) };
        }

        return list;
    }

    private static string? Problem(SyncSummary? summary)
    {
        if (summary is null)
        {
            return "the summary is null.";
        }

        foreach (var (level, count) in (ReadOnlySpan<(string, int?)>)[("Growers", summary.Growers), ("Farms", summary.Farms), ("Fields", summary.Fields)])
        {
            if (count < 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{level} is {count}; Leaf sends counts from 0, and null for a level it does not report.");
            }
        }

        if (summary.ProviderName.Length == 0)
        {
            return summary.Provider.GetInfo().Provider == Provider.Unknown
                ? string.Create(CultureInfo.InvariantCulture, $"Provider is {summary.Provider}, which names no provider this SDK knows, and ProviderName is empty; set ProviderName to the name Leaf would send (e.g. \"Panorama\").")
                : null;
        }

        // The client reads the provider from the name sent: a name of another provider would come back as that one.
        _ = Providers.TryParse(summary.ProviderName, out var named);
        return named == summary.Provider
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"ProviderName \"{summary.ProviderName}\" is read as {named}, but Provider is {summary.Provider}; make them agree (Provider.Unknown for a name this SDK does not know).");
    }

    // One entry per call, with its count: one per failure was int.MaxValue entries for FailNext(int.MaxValue), tens of
    // gigabytes, and the test ran out of memory on the call that should only have set a switch.
    private void Script(int count, HttpStatusCode status, TimeSpan? retryAfter)
    {
        if (count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _scriptedFailures.Enqueue(new ScriptedFailure(status, retryAfter) { Remaining = count });
        }
    }

    private async Task<IResponseMessage> HandleResourcesAsync(IRequestMessage request)
    {
        await Delay().ConfigureAwait(false);
        var bearer = Bearer(request);
        var query = Query(request);

        if (NextScriptedFailure() is { } failure)
        {
            return Record(request, query, bearer is not null, Failure(failure.Status, failure.RetryAfter, request.Path));
        }

        if (!IsValid(bearer))
        {
            return Record(request, query, bearer is not null, Problem(HttpStatusCode.Unauthorized, "Unauthorized", "Full authentication is required to access this resource", request.Path, "error.http.401"));
        }

        IEnumerable<SyncSummary> selected = Summaries;
        if (query.TryGetValue("provider", out var provider))
        {
            selected = selected.Where(s => string.Equals(WireName(s), provider, StringComparison.OrdinalIgnoreCase));
        }

        if (query.TryGetValue("leafUserId", out var user))
        {
            if (!Guid.TryParse(user, CultureInfo.InvariantCulture, out var id))
            {
                return Record(request, query, true, Problem(HttpStatusCode.BadRequest, "Bad Request", $"Invalid leafUserId '{user}'", request.Path, "error.validation"));
            }

            selected = selected.Where(s => s.LeafUserId == id);
        }

        return Record(request, query, true, Json(HttpStatusCode.OK, WriteSummaries(selected)));
    }

    private async Task<IResponseMessage> HandleLoginAsync(IRequestMessage request)
    {
        await Delay().ConfigureAwait(false);
        Interlocked.Increment(ref _logins);
        var query = Query(request);
        var hadBearer = Bearer(request) is not null;

        if (NextScriptedFailure() is { } failure)
        {
            return Record(request, query, hadBearer, Failure(failure.Status, failure.RetryAfter, request.Path));
        }

        string? username = null, password = null, rememberMe = null;
        try
        {
            using var body = JsonDocument.Parse(request.Body ?? string.Empty);
            username = body.RootElement.TryGetProperty("username", out var u) ? u.GetString() : null;
            password = body.RootElement.TryGetProperty("password", out var p) ? p.GetString() : null;
            rememberMe = body.RootElement.TryGetProperty("rememberMe", out var r) ? r.ToString() : null;
        }
        catch (JsonException)
        {
            return Record(request, query, hadBearer, Problem(HttpStatusCode.BadRequest, "Bad Request", "The login body is not JSON", request.Path, "error.http.400"));
        }
        catch (InvalidOperationException)
        {
            return Record(request, query, hadBearer, Problem(HttpStatusCode.BadRequest, "Bad Request", "The login body has the wrong shape", request.Path, "error.http.400"));
        }

        if (username != _options.Username || password != _options.Password)
        {
            return Record(request, query, hadBearer, Problem(HttpStatusCode.Unauthorized, "Unauthorized", "Bad credentials", request.Path, "error.http.401"));
        }

        var remember = string.Equals(rememberMe, "true", StringComparison.OrdinalIgnoreCase);
        var token = IssueToken(remember ? _options.RememberMeTokenLifetime : _options.TokenLifetime);
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("id_token", token);
            writer.WriteEndObject();
        }

        return Record(request, query, hadBearer, Json(HttpStatusCode.OK, json.WrittenSpan.ToArray()));
    }

    private (HttpStatusCode Status, TimeSpan? RetryAfter)? NextScriptedFailure()
    {
        lock (_gate)
        {
            if (!_scriptedFailures.TryPeek(out var failure))
            {
                return null;
            }

            if (--failure.Remaining == 0)
            {
                _scriptedFailures.Dequeue();
            }

            return (failure.Status, failure.RetryAfter);
        }
    }

    private async Task Delay()
    {
        var latency = Latency;
        if (latency != TimeSpan.Zero)
        {
            // Stopping the server ends the wait early; the answer then goes out at once.
            await Task.Delay(latency, _options.TimeProvider, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private bool IsValid(string? token) =>
        token is not null && _tokens.TryGetValue(token, out var expiresAt) && _options.TimeProvider.GetUtcNow() < expiresAt;

    private ResponseMessage Record(IRequestMessage request, IReadOnlyDictionary<string, string> query, bool hadBearer, ResponseMessage response)
    {
        _journal.Enqueue(new FakeLeafRequest(request.Method, request.Path, query, hadBearer, (int)response.StatusCode!));

        // WireMock's own log is off for the same reason (MaxRequestLogCount = 0): a demo server answering health probes
        // kept every request.
        if (Interlocked.Increment(ref _journalLength) > _options.JournalCapacity && _journal.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _journalLength);
        }

        return response;
    }

    // The provider's name as Leaf sends it: the one a summary was seeded with, or its API name when it was seeded with
    // the enum only. The filter and the answer must agree on it.
    private static string WireName(SyncSummary summary) =>
        summary.ProviderName.Length > 0 ? summary.ProviderName : summary.Provider.GetInfo().ApiName;

    private static string? Bearer(IRequestMessage request)
    {
        if (request.Headers is null || !request.Headers.TryGetValue("Authorization", out var values) || values.Count == 0)
        {
            return null;
        }

        var value = values[0];
        return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : null;
    }

    private static Dictionary<string, string> Query(IRequestMessage request)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Query is not null)
        {
            foreach (var (key, values) in request.Query)
            {
                if (values.Count > 0)
                {
                    query[key] = values[0];
                }
            }
        }

        return query;
    }

    private static ResponseMessage Failure(HttpStatusCode status, TimeSpan? retryAfter, string path)
    {
        var response = Problem(status, status.ToString(), "Simulated failure", path, $"error.http.{(int)status}");
        if (retryAfter is { } wait)
        {
            response.AddHeader("Retry-After", Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    private static ResponseMessage Problem(HttpStatusCode status, string title, string detail, string path, string message)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "https://www.jhipster.tech/problem/problem-with-message");
            writer.WriteString("title", title);
            writer.WriteNumber("status", (int)status);
            writer.WriteString("detail", detail);
            writer.WriteString("path", path);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        var response = Json(status, json.WrittenSpan.ToArray());
        response.Headers!["Content-Type"] = new WireMockList<string>("application/problem+json");
        return response;
    }

    private static ResponseMessage Json(HttpStatusCode status, byte[] body) => new()
    {
        StatusCode = (int)status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsBytes = body, DetectedBodyType = BodyType.Bytes },
    };

    private static byte[] WriteSummaries(IEnumerable<SyncSummary> summaries)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("message", "SUCCESS");
            writer.WriteStartArray("summaries");
            foreach (var s in summaries)
            {
                writer.WriteStartObject();
                writer.WriteString("provider", WireName(s));
                writer.WriteString("leafUserId", s.LeafUserId);
                WriteCount(writer, "growers", s.Growers);
                WriteCount(writer, "farms", s.Farms);
                WriteCount(writer, "fields", s.Fields);
                if (s.SyncReferenceTime is { } time)
                {
                    writer.WriteString("syncReferenceTime", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return json.WrittenSpan.ToArray();
    }

    private static void WriteCount(Utf8JsonWriter writer, string name, int? count)
    {
        // Leaf omits a level the provider does not have; it does not send null or 0.
        if (count is { } value)
        {
            writer.WriteNumber(name, value);
        }
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>One FailNext or RateLimitNext: what to answer, and how many more requests get it (under the gate).</summary>
    private sealed class ScriptedFailure(HttpStatusCode status, TimeSpan? retryAfter)
    {
        public HttpStatusCode Status { get; } = status;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public int Remaining { get; set; }
    }
}
