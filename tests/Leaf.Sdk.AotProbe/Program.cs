using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Leaf.Sdk;
using Leaf.Sdk.AotProbe;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Leaf.Sdk.AotProbe.Probe;

// leaf-aot-probe: drives Leaf.Sdk through its failure paths as a Native AOT binary (.ci/aot.sh publishes and runs it).
// One line per scenario; exits 1 if any outcome is not the expected one. Runs under the JIT too (dotnet run), where every
// scenario must pass as well: a scenario that fails only in the AOT binary is an AOT defect of the library.
var only = args.Length > 0 ? args[0] : null;
var scenarios = new List<(string Name, Func<Task> Run)>
{
    ("success: envelope, unknown provider, absent level, null entry, 7-digit time", OkDocumented),
    ("success: older bare-array shape", OkBareArray),
    ("success: > 16 KB envelope, streamed", OkLargeStreamed),
    ("success: > 16 KB bare array, chunked, streamed", OkLargeChunked),
    ("success: gzip body", OkGzip),
    ("bad body: malformed JSON, small", MalformedSmall),
    ("bad body: malformed JSON, > 16 KB streamed", MalformedLarge),
    ("bad body: wrong type from the serializer", WrongType),
    ("bad body: invalid literal in a > 16 KB body", InvalidLiteral),
    ("bad body: converter rejects a count", BadCount),
    ("bad body: HTML on 200", HtmlOk),
    ("bad body: empty 200", EmptyOk),
    ("bad body: JSON number", ScalarOk),
    ("bad body: gzip that is not", BrokenGzip),
    ("error: 404 problem body", Problem404),
    ("error: 403 problem, status as a string, Latin-1 byte", Problem403Odd),
    ("error: 502 HTML from a proxy, retried", Html502Retried),
    ("error: 503 retries exhausted", Retries503),
    ("error: 302 not followed", Redirect),
    ("error: 501 not retried", NotImplemented),
    ("retry-after: seconds honoured", RetryAfterSeconds),
    ("retry-after: seconds beyond the budget", RetryAfterBeyond),
    ("retry-after: HTTP date beyond the budget", RetryAfterDate),
    ("retry-after: HTTP date in the past", RetryAfterPastDate),
    ("auth: static token 401", Static401),
    ("auth: login, JWT exp cached across calls", LoginCached),
    ("auth: 401 renews the login once", LoginRenews),
    ("auth: 401 after renewal", LoginTwice401),
    ("auth: login refused with a problem", LoginRefused),
    ("auth: login answer not JSON", LoginNotJson),
    ("auth: login answer without id_token", LoginNoToken),
    ("auth: token with a non-ASCII character", TokenNonAscii),
    ("time-out: attempt", AttemptTimeout),
    ("time-out: total", TotalTimeout),
    ("time-out: login within AttemptTimeout", LoginTimeout),
    ("network: connection refused", Refused),
    ("network: body reset, retried and recovered", ResetRecovered),
    ("network: body reset every time", ResetAlways),
    ("circuit breaker opens", Circuit),
    ("cancellation by the caller", Cancelled),
    ("dispose while in flight", DisposedInFlight),
    ("caller mistakes: filters and options", CallerMistakes),
    ("logging: console logger and LoggerMessage events", Logging),
    ("telemetry: activity and Polly metrics", Telemetry),
    ("exception ToString", ExceptionText),
    ("models: enums, records, sync checks", Models),
    ("DI: configuration binding, in-process primary handler, login client", DependencyInjection),
    ("DI: unreadable setting and unknown key", DependencyInjectionBadSettings),
    ("DI: stacked resilience handler removed", StackedResilience),
    ("health check: findings and failure", HealthCheck),
};

var failed = 0;
var ran = 0;
var started = Stopwatch.GetTimestamp();
foreach (var (name, run) in scenarios)
{
    if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
    {
        continue;
    }

    ran++;
    var clock = Stopwatch.GetTimestamp();
    try
    {
        await run().WaitAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ok    {name} ({Stopwatch.GetElapsedTime(clock).TotalMilliseconds:0} ms)"));
    }
    catch (Exception ex)
    {
        failed++;
        var why = ex is ProbeFailure ? ex.Message : $"unexpected {ex.GetType().FullName}: {OneLine(ex.ToString())}";
        Console.WriteLine($"FAIL  {name}: {why}");
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{ran} scenarios, {failed} failed, {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s ({(AppContext.GetData("APP_CONTEXT_DEPS_FILES") is null ? "Native AOT" : "JIT")})"));
return failed == 0 && ran > 0 ? 0 : 1;

// ---------------------------------------------------------------- success paths

static async Task<SyncSummaryResponse> GetAsync(RawServer server, Action<LeafClientOptions>? configure = null)
{
    using var client = new IntegrationsClient(Options(server, configure));
    return await client.GetResourcesAsync();
}

static async Task<LeafApiException> FailAsync(RawServer server, Action<LeafClientOptions>? configure = null) =>
    await Throws<LeafApiException>(() => GetAsync(server, configure));

static async Task OkDocumented()
{
    await using var server = new RawServer((_, _) => RawServer.Json(200, Documented));
    var response = await GetAsync(server);
    That(response.Message == "SUCCESS", $"message {response.Message}");
    That(response.Summaries.Count == 4, $"{response.Summaries.Count} summaries, not 4 (the null one dropped)");
    var deere = response.Summaries[0];
    That(deere is { Provider: Provider.JohnDeere, Growers: 12, Farms: 12, Fields: 100 }, $"John Deere read as {deere}");
    That(deere.SyncReferenceTime == new DateTimeOffset(2023, 8, 30, 18, 39, 33, TimeSpan.Zero).AddTicks(2306120), $"time {deere.SyncReferenceTime:O}");
    var climate = response.Summaries[1];
    That(climate is { Provider: Provider.ClimateFieldView, Growers: null, Farms: 3 }, $"Climate read as {climate}");
    That(climate.SyncReferenceTime!.Value.Ticks % TimeSpan.TicksPerSecond == 1234567, "7 fractional digits kept");
    That(response.Summaries[2] is { Provider: Provider.Unknown, ProviderName: "Panorama", Fields: 5 }, $"Panorama read as {response.Summaries[2]}");
    That(response.Summaries[3] is { Provider: Provider.CNHI, ProviderName: "CNHi" }, $"CNHi read as {response.Summaries[3]}");
    That(server.Requests[0].Target == "/services/integrations/api/resources", $"target {server.Requests[0].Target}");
    That(server.Requests[0].Authorization == $"Bearer {Token}", "bearer token sent");

    // Refit reads [Headers] off the interface at run time, and the User-Agent carries the assembly's version.
    Contains(server.Requests[0].Headers.GetValueOrDefault("accept"), "application/json", "Accept");
    Contains(server.Requests[0].Headers.GetValueOrDefault("user-agent"), "Leaf.Sdk/0.1.0", "User-Agent");

    using var client = new IntegrationsClient(Options(server));
    await client.GetResourcesAsync(Provider.CNHIFieldOps, Guid.Parse(UserId));
    That(server.Requests[1].Target == $"/services/integrations/api/resources?provider=CNHIFieldOps&leafUserId={UserId}", $"filtered target {server.Requests[1].Target}");
}

static async Task OkBareArray()
{
    await using var server = new RawServer((_, _) => RawServer.Json(200, BareArray));
    var response = await GetAsync(server);
    That(response is { Message: null, Summaries: [{ Provider: Provider.JohnDeere, Fields: 4, SyncReferenceTime: null }] }, $"read as {response}");
}

static async Task OkLargeStreamed()
{
    var body = Large(400);
    That(body.Length > 16 * 1024, "body over 16 KB");
    await using var server = new RawServer((_, _) => RawServer.Json(200, body));
    var response = await GetAsync(server);
    That(response.Summaries.Count == 400, $"{response.Summaries.Count} summaries");
    That(response.Summaries[2] is { Provider: Provider.Unknown, ProviderName: "Lindsay", Growers: 2 }, $"third read as {response.Summaries[2]}");
    That(response.Summaries[0].SyncReferenceTime!.Value.Ticks % TimeSpan.TicksPerSecond == 1234567, "9 digits cut to ticks");
}

static async Task OkLargeChunked()
{
    var body = Encoding.UTF8.GetBytes(Large(300, bare: true));
    await using var server = new RawServer((_, _) => RawServer.Answer(200, body, ["Content-Type: application/json"], chunked: true));
    var response = await GetAsync(server);
    That(response.Summaries.Count == 300 && response.Message is null, $"{response.Summaries.Count} summaries");
}

static async Task OkGzip()
{
    await using var server = new RawServer((_, _) => RawServer.Answer(200, RawServer.Gzip(Large(200)), ["Content-Type: application/json", "Content-Encoding: gzip"]));
    var response = await GetAsync(server);
    That(response.Summaries.Count == 200, $"{response.Summaries.Count} summaries");
    Contains(server.Requests[0].Headers.GetValueOrDefault("accept-encoding"), "gzip", "Accept-Encoding");
}

// ---------------------------------------------------------------- bodies that are no Sync Summary

static async Task MalformedSmall()
{
    await using var server = new RawServer((_, _) => RawServer.Json(200, """{"message":"SUCCESS","summaries":[{"provider":"JohnDeere",}"""));
    var error = await FailAsync(server);
    That(error.StatusCode == HttpStatusCode.OK, $"status {error.StatusCode}");
    Contains(error.Message, "not a valid Sync Summary");
    Contains(error.ResponseExcerpt, "{\"message\":\"SUCCESS\"", "excerpt");
    That(error.InnerException is System.Text.Json.JsonException, $"inner {error.InnerException?.GetType()}");
}

static async Task MalformedLarge()
{
    var body = Large(300)[..^30];
    await using var server = new RawServer((_, _) => RawServer.Json(200, body));
    var error = await FailAsync(server);
    Contains(error.Message, "not a valid Sync Summary");
    That(error.ResponseExcerpt is { Length: > 100 } excerpt && excerpt.StartsWith("{\"message\"", StringComparison.Ordinal), $"excerpt {error.ResponseExcerpt}");
}

static async Task WrongType()
{
    await using var server = new RawServer((_, _) => RawServer.Json(200, """{"message":"SUCCESS","summaries":5}"""));
    var error = await FailAsync(server);
    That(error.Message == "Leaf answered with a body that is not a valid Sync Summary: a value has the wrong type (at $.summaries)", $"message {error.Message}");
}

static async Task InvalidLiteral()
{
    var body = """{"summaries":[{"provider":"JohnDeere","growers":nul,"fields":7},""" + Large(300, bare: true)[1..];
    await using var server = new RawServer((_, _) => RawServer.Json(200, body));
    var error = await FailAsync(server);
    Contains(error.Message, "Leaf answered with a body that is not a valid Sync Summary: ");
    Contains(error.Message, "nul,\"fields\":7");
    That(error.Message.Length < 400, $"the message quotes the body: {error.Message.Length} characters");
}

static async Task BadCount()
{
    await using var server = new RawServer((_, _) => RawServer.Json(200, """{"summaries":[{"provider":"JohnDeere","growers":"twelve"}]}"""));
    var error = await FailAsync(server);
    Contains(error.Message, "'growers' must be a number but was a string");
}

static async Task HtmlOk()
{
    await using var server = new RawServer((_, _) => RawServer.Html(200, "<html><body>Maintenance</body></html>"));
    var error = await FailAsync(server);
    Contains(error.Message, "HTML instead of JSON");
    Contains(error.ResponseExcerpt, "Maintenance", "excerpt");
}

static async Task EmptyOk()
{
    await using var server = new RawServer((_, _) => RawServer.Json(200, ""));
    var error = await FailAsync(server);
    Contains(error.Message, "empty body");
}

static async Task ScalarOk()
{
    await using var server = new RawServer((_, _) => RawServer.Json(200, " 42 "));
    var error = await FailAsync(server);
    Contains(error.Message, "a JSON number where a Sync Summary");
}

static async Task BrokenGzip()
{
    await using var server = new RawServer((_, _) => RawServer.Answer(200, Encoding.UTF8.GetBytes(Documented), ["Content-Type: application/json", "Content-Encoding: gzip"]));
    var error = await FailAsync(server);
    Contains(error.Message, "could not be decompressed");
    That(error.InnerException is InvalidDataException, $"inner {error.InnerException?.GetType()}");
}

// ---------------------------------------------------------------- error answers

static async Task Problem404()
{
    await using var server = new RawServer((_, _) => RawServer.Json(404, Problem(404, "Not Found", "No Leaf user with this id", "leafUserNotFound"), "Content-Type: application/problem+json"));
    var error = await FailAsync(server);
    That(error.StatusCode == HttpStatusCode.NotFound && !error.IsTransient && error.Attempts == 1, $"status {error.StatusCode}, transient {error.IsTransient}, attempts {error.Attempts}");
    That(error.Problem is { Title: "Not Found", Status: 404, ErrorKey: "leafUserNotFound", Path: "/services/integrations/api/resources", Message: "error.http.404" }, $"problem {error.Problem}");
    That(error.Message == "Leaf answered 404 Not Found to the Sync Summary request: No Leaf user with this id (error key leafUserNotFound). Check BaseAddress and the leafUserId.", $"message {error.Message}");
}

static async Task Problem403Odd()
{
    var body = Encoding.Latin1.GetBytes("""{"title":"Acc""" + "\u00e8" + """s refusé","status":"403","detail":"No access","errorKey":"denied"}""");
    await using var server = new RawServer((_, _) => RawServer.Answer(403, body, ["Content-Type: application/json"]));
    var error = await FailAsync(server);
    That(error.Problem is { Status: 403, Detail: "No access", ErrorKey: "denied" }, $"problem {error.Problem}");
    That(error.Problem!.Title is { } title && title.Contains('\uFFFD', StringComparison.Ordinal), $"title {error.Problem.Title}");
    Contains(error.Message, "may not read this data");
}

static async Task Html502Retried()
{
    await using var server = new RawServer((_, _) => RawServer.Html(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"));
    var error = await FailAsync(server, o => o.MaxRetries = 1);
    That(error is { StatusCode: HttpStatusCode.BadGateway, IsTransient: true, Attempts: 2, Problem: null }, $"status {error.StatusCode}, attempts {error.Attempts}");
    Contains(error.Message, "Leaf answered 502 Bad Gateway to the Sync Summary request after 2 attempts. Leaf had a server-side problem; try again later.");
    Contains(error.ResponseExcerpt, "nginx", "excerpt");
    That(server.Requests.Count == 2, $"{server.Requests.Count} requests");
}

static async Task Retries503()
{
    await using var server = new RawServer((_, _) => RawServer.Json(503, "{}"));
    var error = await FailAsync(server, o => o.MaxRetries = 2);
    That(error is { StatusCode: HttpStatusCode.ServiceUnavailable, Attempts: 3 } && server.Requests.Count == 3, $"attempts {error.Attempts}, requests {server.Requests.Count}");
}

static async Task Redirect()
{
    await using var server = new RawServer((_, _) => RawServer.Json(302, "", "Location: https://elsewhere.example/x"));
    var error = await FailAsync(server);
    Contains(error.Message, "does not follow redirects (to elsewhere.example)");
    That(server.Requests.Count == 1, "no request followed the redirect");
}

static async Task NotImplemented()
{
    await using var server = new RawServer((_, _) => RawServer.Json(501, "{}"));
    var error = await FailAsync(server, o => o.MaxRetries = 3);
    That(error is { Attempts: 1, IsTransient: false }, $"attempts {error.Attempts}");
    Contains(error.Message, "Leaf answered 501 Status to the Sync Summary request. Leaf, or a proxy or gateway in between, cannot serve this request");
}

// ---------------------------------------------------------------- Retry-After

static async Task RetryAfterSeconds()
{
    await using var server = new RawServer((_, i) => i == 0 ? RawServer.Json(429, "{}", "Retry-After: 0") : RawServer.Json(200, BareArray));
    var response = await GetAsync(server, o => { o.MaxRetries = 1; o.RetryBaseDelay = TimeSpan.FromSeconds(30); });
    That(response.Summaries.Count == 1 && server.Requests.Count == 2, $"requests {server.Requests.Count}");
}

static async Task RetryAfterBeyond()
{
    await using var server = new RawServer((_, _) => RawServer.Json(429, Problem(429, "Too Many Requests", "Slow down", "rate"), "Retry-After: 120"));
    var error = await FailAsync(server, o => { o.MaxRetries = 3; o.TotalTimeout = TimeSpan.FromSeconds(5); });
    That(error is { StatusCode: HttpStatusCode.TooManyRequests, Attempts: 1, IsTransient: true }, $"attempts {error.Attempts}");
    Contains(error.Message, "Leaf asked to wait 120 s (Retry-After), more than the ");
}

static async Task RetryAfterDate()
{
    var date = DateTimeOffset.UtcNow.AddMinutes(10).ToString("R", CultureInfo.InvariantCulture);
    await using var server = new RawServer((_, _) => RawServer.Json(503, "{}", $"Retry-After: {date}"));
    var error = await FailAsync(server, o => { o.MaxRetries = 3; o.TotalTimeout = TimeSpan.FromSeconds(5); });
    That(error.Attempts == 1, $"attempts {error.Attempts}");
    // The date has whole seconds: the wait is a little under ten minutes, or ten minutes when read at once.
    var asked = System.Text.RegularExpressions.Regex.Match(error.Message, @"Leaf asked to wait (?<s>[0-9.]+) s \(Retry-After\), more than the ");
    That(asked.Success && double.Parse(asked.Groups["s"].Value, CultureInfo.InvariantCulture) is > 590 and <= 600, $"message {error.Message}");
}

static async Task RetryAfterPastDate()
{
    var date = DateTimeOffset.UtcNow.AddHours(-1).ToString("R", CultureInfo.InvariantCulture);
    await using var server = new RawServer((_, i) => i == 0 ? RawServer.Json(503, "{}", $"Retry-After: {date}") : RawServer.Json(200, BareArray));
    var response = await GetAsync(server, o => { o.MaxRetries = 1; o.RetryBaseDelay = TimeSpan.FromSeconds(30); });
    That(response.Summaries.Count == 1 && server.Requests.Count == 2, $"requests {server.Requests.Count}");
}

// ---------------------------------------------------------------- authentication

static async Task Static401()
{
    await using var server = new RawServer((_, _) => RawServer.Json(401, Problem(401, "Unauthorized", "Full authentication is required", "unauthorized")));
    var error = await Throws<LeafAuthenticationException>(() => GetAsync(server));
    That(error is { StatusCode: HttpStatusCode.Unauthorized, Attempts: 1 } && server.Requests.Count == 1, $"attempts {error.Attempts}, requests {server.Requests.Count}");
    Contains(error.Message, "Leaf answered 401 Unauthorized to the Sync Summary request: Full authentication is required (error key unauthorized). Get a fresh token");
}

static Reply LoginThenData(Request request, string token)
{
    if (request.IsLogin)
    {
        return RawServer.Json(200, LoginAnswer(token));
    }

    return request.Authorization == $"Bearer {token}" ? RawServer.Json(200, BareArray) : RawServer.Json(401, "{}");
}

static async Task LoginCached()
{
    var token = Jwt("cached", TimeSpan.FromHours(1));
    await using var server = new RawServer((request, _) => LoginThenData(request, token));
    using var client = new IntegrationsClient(Login(Options(server)));
    await client.GetResourcesAsync();
    await client.GetResourcesAsync();
    That(server.Count(r => r.IsLogin) == 1 && server.Count(r => !r.IsLogin) == 2, $"logins {server.Count(r => r.IsLogin)}, calls {server.Count(r => !r.IsLogin)}");
    var login = server.Requests.First(r => r.IsLogin);
    That(login.Method == "POST" && login.Authorization is null, "login is a POST without a bearer token");
    Contains(login.Body, $"\"username\":\"{Username}\"", "login body");
    Contains(login.Body, "\"rememberMe\":\"true\"", "login body");
    Contains(login.Headers.GetValueOrDefault("content-type"), "application/json", "login content type");
}

static async Task LoginRenews()
{
    var first = Jwt("first", TimeSpan.FromHours(1));
    var second = Jwt("second", TimeSpan.FromHours(1));
    var logins = 0;
    await using var server = new RawServer((request, _) => request.IsLogin
        ? RawServer.Json(200, LoginAnswer(Interlocked.Increment(ref logins) == 1 ? first : second))
        : request.Authorization == $"Bearer {second}" ? RawServer.Json(200, BareArray) : RawServer.Json(401, "{}"));
    var logs = new CapturingLoggerProvider();
    using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
    using var client = new IntegrationsClient(Login(Options(server)), factory, TimeProvider.System);
    var response = await client.GetResourcesAsync();
    That(response.Summaries.Count == 1, "answered after renewal");
    That(server.Count(r => r.IsLogin) == 2 && server.Count(r => !r.IsLogin) == 2, $"logins {server.Count(r => r.IsLogin)}, calls {server.Count(r => !r.IsLogin)}");
    Contains(logs.All, "Leaf answered 401; renewing the token and resending once", "log");
    Contains(logs.All, "Logged in to Leaf; token valid until ", "log");
    Contains(logs.All, "Leaf: the Sync Summary request succeeded after 2 attempt(s) with 1 summaries", "log");
    NoSecret(logs.All, "log");
    That(!logs.All.Contains(first, StringComparison.Ordinal), "log shows the JWT");
}

static async Task LoginTwice401()
{
    await using var server = new RawServer((request, _) => request.IsLogin ? RawServer.Json(200, LoginAnswer(Jwt("x", TimeSpan.FromHours(1)))) : RawServer.Json(401, "{}"));
    var error = await Throws<LeafAuthenticationException>(() => GetAsync(server, o => Login(o)));
    Contains(error.Message, "Leaf rejected the token even after it was renewed");
    That(error.Attempts == 2 && server.Count(r => r.IsLogin) == 2, $"attempts {error.Attempts}, logins {server.Count(r => r.IsLogin)}");
}

static async Task LoginRefused()
{
    await using var server = new RawServer((request, _) => RawServer.Json(401, Problem(401, "Unauthorized", "Bad credentials", "badCredentials")));
    var error = await Throws<LeafAuthenticationException>(() => GetAsync(server, o => { Login(o); o.MaxRetries = 2; }));
    Contains(error.Message, "Leaf refused the login for the configured Username (401 Unauthorized): Bad credentials (error key badCredentials). Check Username and Password.");
    That(error.Problem?.ErrorKey == "badCredentials" && server.Requests.Count == 1, $"requests {server.Requests.Count}");
}

static async Task LoginNotJson()
{
    await using var server = new RawServer((request, _) => RawServer.Json(200, "{\"id_token\":"));
    var error = await Throws<LeafAuthenticationException>(() => GetAsync(server, o => Login(o)));
    Contains(error.Message, "Leaf's login answer (200 OK) was not valid JSON.");
}

static async Task LoginNoToken()
{
    await using var server = new RawServer((request, _) => RawServer.Json(200, "{\"token\":\"x\"}"));
    var error = await Throws<LeafAuthenticationException>(() => GetAsync(server, o => Login(o)));
    Contains(error.Message, "had no id_token");
}

static async Task TokenNonAscii()
{
    await using var server = new RawServer((_, _) => RawServer.Json(200, BareArray));
    var error = await Throws<LeafAuthenticationException>(() => GetAsync(server, o => { o.AccessToken = null; o.TokenSource = new PastedToken(); }));
    Contains(error.Message, "a character a bearer token cannot contain");
    That(server.Requests.Count == 0, "nothing sent");
}

// ---------------------------------------------------------------- time-outs, network, circuit

static async Task AttemptTimeout()
{
    await using var server = new RawServer((_, _) => new Reply.Stall());
    var error = await FailAsync(server, o => { o.MaxRetries = 1; o.AttemptTimeout = TimeSpan.FromMilliseconds(300); });
    That(error is { StatusCode: null, IsTransient: true, Attempts: 2 }, $"attempts {error.Attempts}");
    Contains(error.Message, "Leaf did not answer the Sync Summary request within AttemptTimeout (0.3 s) after 2 attempts");
    That(error.InnerException is Polly.Timeout.TimeoutRejectedException, $"inner {error.InnerException?.GetType()}");
}

static async Task TotalTimeout()
{
    await using var server = new RawServer((_, _) => new Reply.Stall());
    var error = await FailAsync(server, o => { o.MaxRetries = 5; o.AttemptTimeout = TimeSpan.FromMilliseconds(300); o.TotalTimeout = TimeSpan.FromMilliseconds(500); });
    // How many attempts began before the end depends on the machine's load: not checked.
    Contains(error.Message, "The Sync Summary request did not finish within TotalTimeout (0.5 s)");
}

static async Task LoginTimeout()
{
    await using var server = new RawServer((_, _) => new Reply.Stall());
    var error = await FailAsync(server, o => { Login(o); o.AttemptTimeout = TimeSpan.FromMilliseconds(300); o.TotalTimeout = TimeSpan.FromSeconds(1); });
    That(error.Attempts == 0, $"attempts {error.Attempts}");
    Contains(error.Message, "The login to Leaf did not finish within AttemptTimeout (0.3 s), so the Sync Summary request was not sent");
}

static async Task Refused()
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    using var client = new IntegrationsClient(new LeafClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), AccessToken = Token, MaxRetries = 0 });
    var error = await Throws<LeafApiException>(() => client.GetResourcesAsync());
    That(error is { StatusCode: null, IsTransient: true, Attempts: 1 }, $"attempts {error.Attempts}");
    Contains(error.Message, "Could not reach Leaf at 127.0.0.1 for the Sync Summary request: the connection was refused.");
}

static async Task ResetRecovered()
{
    await using var server = new RawServer((_, i) => i == 0 ? BrokenHead() : RawServer.Json(200, Large(400)));
    var response = await GetAsync(server, o => o.MaxRetries = 1);
    That(response.Summaries.Count == 400 && server.Requests.Count == 2, $"requests {server.Requests.Count}");
}

static async Task ResetAlways()
{
    await using var server = new RawServer((_, _) => BrokenHead());
    var error = await FailAsync(server, o => o.MaxRetries = 1);
    That(error is { IsTransient: true, Attempts: 2 }, $"attempts {error.Attempts}");
    That(error.Message.StartsWith("The connection to Leaf at 127.0.0.1 broke while the Sync Summary request was being answered after 2 attempts", StringComparison.Ordinal)
        || error.Message.StartsWith("Could not reach Leaf at 127.0.0.1 for the Sync Summary request after 2 attempts", StringComparison.Ordinal), $"message {error.Message}");
}

// A large body announced whole, cut after its first bytes by a reset.
static Reply BrokenHead()
{
    var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n{\"message\":\"SUCCESS\",\"summaries\":[");
    return new Reply.Reset(head);
}

static async Task Circuit()
{
    await using var server = new RawServer((_, _) => RawServer.Json(503, "{}"));
    using var client = new IntegrationsClient(Options(server));
    for (var i = 0; i < 10; i++)
    {
        await Throws<LeafApiException>(() => client.GetResourcesAsync());
    }

    var error = await Throws<LeafApiException>(() => client.GetResourcesAsync());
    That(error is { StatusCode: null, IsTransient: true, Attempts: 0 } && server.Requests.Count == 10, $"attempts {error.Attempts}, requests {server.Requests.Count}");
    Contains(error.Message, "(circuit open)");
    That(error.InnerException is Polly.CircuitBreaker.BrokenCircuitException, $"inner {error.InnerException?.GetType()}");
}

static async Task Cancelled()
{
    await using var server = new RawServer((_, _) => new Reply.Stall());
    using var client = new IntegrationsClient(Options(server));
    using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
    try
    {
        await client.GetResourcesAsync(cancellationToken: cancel.Token);
        throw new ProbeFailure("the call succeeded");
    }
    catch (OperationCanceledException ex)
    {
        That(ex.CancellationToken == cancel.Token || ex is TaskCanceledException, $"cancelled by {ex.GetType().Name}");
    }
}

static async Task DisposedInFlight()
{
    await using var server = new RawServer((_, _) => new Reply.Stall());
    var client = new IntegrationsClient(Options(server));
    var call = client.GetResourcesAsync();
    while (server.Requests.Count == 0)
    {
        await Task.Delay(10);
    }

    client.Dispose();
    var error = await Throws<ObjectDisposedException>(() => call);
    Contains(error.Message, "disposed while the Sync Summary request was in flight");
    await Throws<ObjectDisposedException>(() => client.GetResourcesAsync());
}

static async Task CallerMistakes()
{
    await using var server = new RawServer((_, _) => RawServer.Json(200, BareArray));
    using var client = new IntegrationsClient(Options(server));
    var unknown = await Throws<ArgumentOutOfRangeException>(() => client.GetResourcesAsync(Provider.Unknown));
    That(unknown.ParamName == "provider", $"param {unknown.ParamName}");
    await Throws<ArgumentOutOfRangeException>(() => client.GetResourcesAsync((Provider)42));
    var empty = await Throws<ArgumentException>(() => client.GetResourcesAsync(leafUserId: Guid.Empty));
    That(empty.ParamName == "leafUserId", $"param {empty.ParamName}");
    var http = Throws<ArgumentException>(() => Task.FromResult(new IntegrationsClient(new LeafClientOptions { BaseAddress = new Uri("http://api.example.com"), AccessToken = Token })));
    Contains((await http).Message, "BaseAddress");
    var none = await Throws<ArgumentException>(() => Task.FromResult(new IntegrationsClient(new LeafClientOptions())));
    Contains(none.Message, "AccessToken");
    That(server.Requests.Count == 0, "nothing sent");
}

// ---------------------------------------------------------------- diagnostics

static async Task Logging()
{
    await using var server = new RawServer((_, i) => i == 0 ? RawServer.Json(503, "{}") : RawServer.Json(200, BareArray));
    var console = new StringWriter(CultureInfo.InvariantCulture);
    var logs = new CapturingLoggerProvider();
    var error = Console.Error;
    Console.SetError(console);
    try
    {
        using (var factory = LoggerFactory.Create(b => b
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddProvider(logs)
            .SetMinimumLevel(LogLevel.Debug)))
        {
            using var client = new IntegrationsClient(Options(server, o => o.MaxRetries = 1), factory, TimeProvider.System);
            await client.GetResourcesAsync();
            await using var failing = new RawServer((_, _) => RawServer.Json(404, Problem(404, "Not Found", "gone", "k")));
            using var failingClient = new IntegrationsClient(Options(failing), factory, TimeProvider.System);
            await Throws<LeafApiException>(() => failingClient.GetResourcesAsync());
        }
    }
    finally
    {
        Console.SetError(error);
    }

    var all = logs.All;
    Contains(all, "Warning|Leaf.Sdk.Resilience|2|Retrying Leaf call after attempt 1 failed with 503 ServiceUnavailable; waiting ", "log");
    Contains(all, "Debug|Leaf.Sdk.Authentication|1|Sending GET /services/integrations/api/resources, attempt 2", "log");
    Contains(all, "Debug|Leaf.Sdk.Authentication|9|Leaf answered attempt 1 with 503 after ", "log");
    Contains(all, "Error|Leaf.Sdk.IntegrationsClient|8|Leaf: the Sync Summary request failed after 1 attempt(s): Leaf answered 404 Not Found", "log");
    Contains(all, "|Polly|", "log (Polly's own telemetry)");
    NoSecret(all, "log");
    var text = console.ToString();
    Contains(text, "warn: Leaf.Sdk.Resilience[2] Retrying Leaf call after attempt 1 failed with 503 ServiceUnavailable", "console log");
    Contains(text, "fail: Leaf.Sdk.IntegrationsClient[8] Leaf: the Sync Summary request failed", "console log");
    NoSecret(text, "console log");
}

static async Task Telemetry()
{
    await using var server = new RawServer((_, i) => i == 0 ? RawServer.Json(503, "{}") : RawServer.Json(200, BareArray));
    using var recorder = new TelemetryRecorder();
    using (var client = new IntegrationsClient(Options(server, o => o.MaxRetries = 1), NullLoggerFactory.Instance, TimeProvider.System))
    {
        await client.GetResourcesAsync(Provider.JohnDeere);
    }

    var span = recorder.Stopped.FirstOrDefault(a => a.OperationName == "Leaf.GetResources");
    That(span is not null, "no Leaf.GetResources span");
    That(span!.Kind == ActivityKind.Client && Equals(span.GetTagItem("leaf.attempts"), 2) && Equals(span.GetTagItem("leaf.summaries"), 1) && Equals(span.GetTagItem("leaf.provider"), "JohnDeere"),
        $"span tags {string.Join(", ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))}");
    var measurements = recorder.Measurements;
    That(measurements.Any(m => m.StartsWith("resilience.polly.strategy.events", StringComparison.Ordinal) && m.Contains("event.name=OnRetry", StringComparison.Ordinal)),
        $"no OnRetry event among {measurements.Count} measurements: {string.Join("; ", measurements.Take(5))}");
    That(measurements.Any(m => m.StartsWith("resilience.polly.strategy.attempt.duration", StringComparison.Ordinal)), "no attempt duration");

    await using var failing = new RawServer((_, _) => RawServer.Json(500, "{}"));
    using (var client = new IntegrationsClient(Options(failing)))
    {
        await Throws<LeafApiException>(() => client.GetResourcesAsync());
    }

    var failedSpan = recorder.Stopped.LastOrDefault(a => a.OperationName == "Leaf.GetResources");
    That(failedSpan is { Status: ActivityStatusCode.Error } && failedSpan.StatusDescription!.Contains("500", StringComparison.Ordinal), $"failed span status {failedSpan?.Status} {failedSpan?.StatusDescription}");
}

static async Task ExceptionText()
{
    await using var server = new RawServer((_, _) => RawServer.Json(404, Problem(404, "Not Found", "No Leaf user " + Token, "k")));
    var error = await FailAsync(server);
    var text = error.ToString();
    Contains(text, "Leaf.Sdk.LeafApiException: Leaf answered 404 Not Found", "ToString()");
    Contains(text, "\nStatus: 404 NotFound", "ToString()");
    Contains(text, "\nAttempts: 1", "ToString()");
    Contains(text, "\nResponse: {\"type\":", "ToString()");
    Contains(text, "IntegrationsClient", "ToString() (stack trace)");
    NoSecret(text, "ToString()");
    NoSecret(error.Problem?.ToString(), "Problem.ToString()");

    await using var stall = new RawServer((_, _) => new Reply.Stall());
    var timeout = await FailAsync(stall, o => o.AttemptTimeout = TimeSpan.FromMilliseconds(100));
    Contains(timeout.ToString(), " ---> Polly.Timeout.TimeoutRejectedException", "ToString() of a time-out");

    var auth = new LeafAuthenticationException("refused", HttpStatusCode.Forbidden, attempts: 3);
    Contains(auth.ToString(), "Leaf.Sdk.LeafAuthenticationException: refused\nStatus: 403 Forbidden\nAttempts: 3", "ToString()");
}

static Task Models()
{
    That(Provider.CNHIFieldOps.ToString() == "CNHIFieldOps", "Provider.ToString()");
    That((FmisLevels.Grower | FmisLevels.Field).ToString() == "Grower, Field", $"FmisLevels.ToString() {(FmisLevels.Grower | FmisLevels.Field)}");
    That(Enum.GetValues<Provider>().Length == 10, "Enum.GetValues<Provider>()");
    That(Enum.TryParse<Provider>("trimble", ignoreCase: true, out var trimble) && trimble == Provider.Trimble, "Enum.TryParse");
    That(Providers.All.Count == 9 && Providers.TryParse("cnhifieldops", out var ops) && ops == Provider.CNHIFieldOps, "Providers");
    Contains(Provider.Stara.GetInfo().ToString(), "ProviderInfo { Provider = Stara, ApiName = Stara, DisplayName = Stara, Levels = Field }", "ProviderInfo.ToString()");
    var options = new LeafClientOptions { AccessToken = Token, Password = Password };
    Contains(options.ToString(), "LeafClientOptions { BaseAddress = https://api.withleaf.io/", "LeafClientOptions.ToString()");
    NoSecret(options.ToString(), "LeafClientOptions.ToString()");

    var response = new SyncSummaryResponse
    {
        Summaries =
        [
            new SyncSummary { Provider = Provider.ClimateFieldView, ProviderName = "ClimateFieldView", LeafUserId = Guid.Parse(UserId), Farms = 0, Fields = 0 },
            new SyncSummary { Provider = Provider.Unknown, ProviderName = "Panorama", LeafUserId = Guid.Parse(UserId), Fields = 1, SyncReferenceTime = DateTimeOffset.UtcNow },
        ],
    };
    var report = SyncChecks.Check(response, new SyncExpectations { ExpectedProviders = { Provider.JohnDeere } }.RequireAtLeast(Provider.ClimateFieldView, FmisLevels.Field, 5));
    var text = report.ToString();
    foreach (var code in new[] { SyncFindingCode.ProviderMissing, SyncFindingCode.NoFields, SyncFindingCode.UnknownProvider, SyncFindingCode.SyncTimeMissing })
    {
        That(report.Findings.Any(f => f.Code == code), $"no {code} finding in: {OneLine(text)}");
    }

    Contains(report.Findings[0].ToString(), "Error", "SyncFinding.ToString()");
    Contains(SyncComparison.Create(response, Guid.Parse(UserId)).ToString(), "Panorama", "SyncComparison.ToString()");
    try
    {
        new SyncExpectations().RequireAtLeast(Provider.Stara, FmisLevels.Grower, 1);
        throw new ProbeFailure("RequireAtLeast accepted a level Stara lacks");
    }
    catch (ArgumentOutOfRangeException ex)
    {
        Contains(ex.Message, "Stara has no grower level");
    }

    return Task.CompletedTask;
}

// ---------------------------------------------------------------- dependency injection and health checks

static async Task DependencyInjection()
{
    var token = Jwt("di", TimeSpan.FromHours(1));
    var handler = new CannedHandler(request => request.RequestUri!.AbsolutePath == "/api/authenticate"
        ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(LoginAnswer(token), Encoding.UTF8, "application/json") }
        : request.Headers.Authorization?.Parameter == token
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Documented, Encoding.UTF8, "application/json") }
            : new HttpResponseMessage(HttpStatusCode.Unauthorized));
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Leaf:BaseAddress"] = "https://leaf.probe.example",
        ["Leaf:Username"] = Username,
        ["Leaf:Password"] = Password,
        ["Leaf:MaxRetries"] = "2",
        ["Leaf:AttemptTimeout"] = "00:00:05",
    }).Build();
    var services = new ServiceCollection();
    var logs = new CapturingLoggerProvider();
    services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
    services.AddLeafSdk(configuration.GetSection("Leaf")).ConfigurePrimaryHttpMessageHandler(() => handler);
    services.AddHttpClient(LeafServiceCollectionExtensions.LoginHttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
    await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    That(provider.GetRequiredService<IOptions<LeafClientOptions>>().Value.MaxRetries == 2, "MaxRetries bound");
    var client = provider.GetRequiredService<IIntegrationsClient>();
    var response = await client.GetResourcesAsync();
    That(response.Summaries.Count == 4, $"{response.Summaries.Count} summaries");
    That(handler.Requests.Count == 2 && handler.Requests[0].StartsWith("POST https://leaf.probe.example/api/authenticate", StringComparison.Ordinal), $"requests {string.Join(", ", handler.Requests)}");
    NoSecret(logs.All, "log");
}

static async Task DependencyInjectionBadSettings()
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Leaf:AccessToken"] = Token,
        ["Leaf:MaxRetries"] = "lots",
        ["Leaf:TotalTimeout"] = "00:00:01",
        ["Leaf:AttemptTimeout"] = "00:00:05",
    }).Build();
    var services = new ServiceCollection();
    services.AddLeafSdk(configuration.GetSection("Leaf"));
    await using (var provider = services.BuildServiceProvider())
    {
        var error = await Throws<OptionsValidationException>(() => Task.FromResult(provider.GetRequiredService<IIntegrationsClient>()));
        Contains(error.Message, "Leaf:MaxRetries");
        Contains(error.Message, "AttemptTimeout");
    }

    var typo = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Leaf:AccessToken"] = Token,
        ["Leaf:MaxRetry"] = "1",
    }).Build();
    var logs = new CapturingLoggerProvider();
    services = new ServiceCollection();
    services.AddLogging(b => b.AddProvider(logs));
    services.AddLeafSdk(typo.GetSection("Leaf"));
    await using (var provider = services.BuildServiceProvider())
    {
        provider.GetRequiredService<IIntegrationsClient>();
        Contains(logs.All, "Leaf.Sdk ignores the configuration key Leaf:MaxRetry", "log");
    }
}

static async Task StackedResilience()
{
    var handler = new CannedHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(BareArray, Encoding.UTF8, "application/json") });
    var logs = new CapturingLoggerProvider();
    var services = new ServiceCollection();
    services.AddLogging(b => b.AddProvider(logs));
    services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new Microsoft.Extensions.Http.Resilience.ResilienceHandler()));
    services.AddLeafSdk(o => { o.AccessToken = Token; o.BaseAddress = new Uri("https://leaf.probe.example"); }).ConfigurePrimaryHttpMessageHandler(() => handler);
    await using var provider = services.BuildServiceProvider();
    await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();
    That(Microsoft.Extensions.Http.Resilience.ResilienceHandler.Sent == 0, "the stacked handler stayed in the chain");
    Contains(logs.All, "Leaf.Sdk left out the ResilienceHandler added to every HttpClient from its client Leaf.Sdk", "log");
}

static async Task HealthCheck()
{
    var old = DateTimeOffset.UtcNow.AddDays(-30).ToString("O", CultureInfo.InvariantCulture);
    var body = $$"""{"summaries":[{"provider":"JohnDeere","leafUserId":"{{UserId}}","growers":1,"farms":1,"fields":0,"syncReferenceTime":"{{old}}"}]}""";
    var fail = false;
    var handler = new CannedHandler(_ => fail
        ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddLeafSdk(o => { o.AccessToken = Token; o.BaseAddress = new Uri("https://leaf.probe.example"); o.MaxRetries = 0; }).ConfigurePrimaryHttpMessageHandler(() => handler);
    services.AddHealthChecks().AddLeafSync(o => o.LeafUserIds.Add(Guid.Parse(UserId)));
    await using var provider = services.BuildServiceProvider();
    var health = provider.GetRequiredService<HealthCheckService>();
    var report = await health.CheckHealthAsync();
    var entry = report.Entries["leaf-sync"];
    That(entry.Status == HealthStatus.Unhealthy, $"status {entry.Status}: {entry.Description}");
    Contains(entry.Description, "Leaf sync of 1 Leaf user: ", "description");
    That(entry.Data["findings"] is IReadOnlyList<SyncFinding> { Count: > 0 } findings && findings.Any(f => f.Code == SyncFindingCode.NoFields), "findings data");

    fail = true;
    report = await health.CheckHealthAsync();
    entry = report.Entries["leaf-sync"];
    That(entry.Status == HealthStatus.Unhealthy && Equals(entry.Data["statusCode"], 503), $"status {entry.Status}");
    Contains(entry.Description, "The Leaf Sync Summary call failed: Leaf answered 503 Service Unavailable", "description");
}
