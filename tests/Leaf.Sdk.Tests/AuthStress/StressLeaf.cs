using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Leaf.Sdk.Tests.AuthStress;

/// <summary>What the login endpoint does for the current phase.</summary>
internal enum LoginMode
{
    OneHour,
    ThirtyDays,
    EightMinutes,
    NoExp,
    HugeExp,
    PastExp,
    Refused401,
    Failed500,
    EmptyBody200,
    MalformedJson,
    NoIdToken,
}

/// <summary>A fake clock that can also go backwards (FakeTimeProvider refuses to): its now is moved by an offset.</summary>
internal sealed class SkewableClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void MoveBack(TimeSpan by) => Interlocked.Add(ref _offsetTicks, -by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

/// <summary>
/// A Leaf stand-in for the stress schedules: a login that issues JWTs with chosen exp values or fails in a chosen way,
/// a Sync Summary endpoint that checks tokens against the server's own clock (the client's plus a skew), revocation,
/// and a count of logins in flight at once.
/// </summary>
internal sealed class StressLeaf : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly SkewableClock _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _valid = new(StringComparer.Ordinal);
    private readonly List<string> _issued = [];
    private int _loginsInFlight;
    private int _maxLoginsInFlight;
    private int _logins;
    private int _serial;

    public StressLeaf(SkewableClock clock, string marker)
    {
        _clock = clock;
        Marker = marker;
        _server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost()).RespondWith(Response.Create().WithCallback(LoginAsync));
        _server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).RespondWith(Response.Create().WithCallback(Resources));
    }

    public string Marker { get; }

    public WireMockServer Server => _server;

    public LoginMode Mode { get; set; }

    /// <summary>How long each login takes, in real time, so callers pile up behind it.</summary>
    public TimeSpan LoginDelay { get; set; }

    /// <summary>The server's clock minus the client's.</summary>
    public TimeSpan Skew { get; set; }

    public int Logins => Volatile.Read(ref _logins);

    public int MaxLoginsInFlight => Volatile.Read(ref _maxLoginsInFlight);

    public IReadOnlyList<string> Issued
    {
        get
        {
            lock (_gate)
            {
                return [.. _issued];
            }
        }
    }

    /// <summary>The exp the server wrote into the newest token it issued, if any.</summary>
    public DateTimeOffset? LastExp { get; private set; }

    private DateTimeOffset ServerNow => _clock.GetUtcNow() + Skew;

    public void RevokeAll()
    {
        lock (_gate)
        {
            _valid.Clear();
        }
    }

    public void Dispose() => _server.Stop();

    private static string Jwt(long? exp, int serial)
    {
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var claims = exp is { } e
            ? string.Create(CultureInfo.InvariantCulture, $$"""{"sub":"{{AuthStub.Username}}","exp":{{e}}}""")
            : $$"""{"sub":"{{AuthStub.Username}}"}""";
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
        return $"{header}.{payload}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes("sig-" + serial.ToString(CultureInfo.InvariantCulture)))}";
    }

    private static ResponseMessage Json(int status, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };

    private async Task<IResponseMessage> LoginAsync(IRequestMessage request)
    {
        var inFlight = Interlocked.Increment(ref _loginsInFlight);
        InterlockedMax(ref _maxLoginsInFlight, inFlight);
        Interlocked.Increment(ref _logins);
        try
        {
            if (LoginDelay > TimeSpan.Zero)
            {
                await Task.Delay(LoginDelay).ConfigureAwait(false);
            }

            var now = ServerNow;
            return Mode switch
            {
                LoginMode.OneHour => Issue(now + TimeSpan.FromHours(1), now),
                LoginMode.ThirtyDays => Issue(now + TimeSpan.FromDays(30), now),
                LoginMode.EightMinutes => Issue(now + TimeSpan.FromMinutes(8), now),
                LoginMode.NoExp => Issue(null, now),
                LoginMode.HugeExp => Issue(DateTimeOffset.FromUnixTimeSeconds(253402300798), now),
                LoginMode.PastExp => Issue(now - TimeSpan.FromHours(1), now),
                LoginMode.Refused401 => Json(401, AuthStub.Problem(401, "Unauthorized", "Bad credentials " + Marker)),
                LoginMode.Failed500 => Json(500, AuthStub.Problem(500, "Internal Server Error", "down " + Marker)),
                LoginMode.EmptyBody200 => Json(200, string.Empty),
                LoginMode.MalformedJson => Json(200, "{\"id_token\": " + Marker),
                _ => Json(200, "{}"),
            };
        }
        finally
        {
            Interlocked.Decrement(ref _loginsInFlight);
        }
    }

    private ResponseMessage Issue(DateTimeOffset? exp, DateTimeOffset now)
    {
        string token;
        lock (_gate)
        {
            token = Jwt(exp?.ToUnixTimeSeconds(), ++_serial);
            _valid[token] = exp ?? now + TimeSpan.FromDays(30);
            _issued.Add(token);
            LastExp = exp;
        }

        return Json(200, $$"""{"id_token":"{{token}}"}""");
    }

    private ResponseMessage Resources(IRequestMessage request)
    {
        var header = request.Headers is { } h && h.TryGetValue("Authorization", out var v) ? v.FirstOrDefault() : null;
        var token = header?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? header["Bearer ".Length..] : null;
        bool valid;
        lock (_gate)
        {
            valid = token is not null && _valid.TryGetValue(token, out var exp) && ServerNow < exp;
        }

        return valid ? Json(200, LeafJson.DocumentedExample) : Json(401, LeafJson.Unauthorized401);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }
}
