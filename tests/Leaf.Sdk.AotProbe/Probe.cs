using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.AotProbe;

/// <summary>A scenario's outcome was not the expected one.</summary>
internal sealed class ProbeFailure(string message) : Exception(message);

/// <summary>Checks, secrets and bodies the scenarios share.</summary>
internal static class Probe
{
    public const string Token = "probe-token-SECRET-7f3a9c1e5b";
    public const string Username = "probe-user@example.com";
    public const string Password = "probe-password-SECRET-4d2b8e";
    public const string UserId = "7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b";

    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new ProbeFailure(what);
        }
    }

    public static void Contains(string? text, string part, string what = "message")
    {
        if (text is null || !text.Contains(part, StringComparison.Ordinal))
        {
            throw new ProbeFailure($"{what} lacks \"{part}\": {OneLine(text)}");
        }
    }

    /// <summary>Runs a call that must throw exactly <typeparamref name="T"/>, and checks no secret is in what it shows.</summary>
    public static async Task<T> Throws<T>(Func<Task> call)
        where T : Exception
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex.GetType() == typeof(T))
        {
            NoSecret(ex.ToString(), "ToString()");
            return (T)ex;
        }
        catch (Exception ex)
        {
            throw new ProbeFailure($"expected {typeof(T).Name}, got {ex.GetType().FullName}: {OneLine(ex.Message)}");
        }

        throw new ProbeFailure($"expected {typeof(T).Name}, the call succeeded");
    }

    public static void NoSecret(string? text, string where)
    {
        That(text is null || (!text.Contains(Token, StringComparison.Ordinal) && !text.Contains(Password, StringComparison.Ordinal)
            && !text.Contains("SECRET", StringComparison.Ordinal)), $"{where} shows a secret: {OneLine(text)}");
    }

    public static string OneLine(string? text)
    {
        var line = text?.ReplaceLineEndings(" | ") ?? "(null)";
        return line.Length > 400 ? line[..400] + "…" : line;
    }

    public static LeafClientOptions Options(RawServer server, Action<LeafClientOptions>? configure = null)
    {
        var options = new LeafClientOptions
        {
            BaseAddress = server.BaseAddress,
            AccessToken = Token,
            MaxRetries = 0,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            TotalTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    public static LeafClientOptions Login(LeafClientOptions options)
    {
        options.AccessToken = null;
        options.Username = Username;
        options.Password = Password;
        return options;
    }

    // --- bodies ---

    public const string Documented = """
        {"message":"SUCCESS","summaries":[
          {"provider":"JohnDeere","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","growers":12,"farms":12,"fields":100,"syncReferenceTime":"2023-08-30T18:39:33.230612Z"},
          {"provider":"ClimateFieldView","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","farms":3,"fields":40,"syncReferenceTime":"2023-08-30T18:39:33.1234567Z","extra":{"nested":[1,2]}},
          {"provider":"Panorama","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","fields":5},
          {"provider":"CNHi","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","growers":1,"farms":1,"fields":1},
          null
        ]}
        """;

    public const string BareArray = """
        [{"provider":"JohnDeere","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","growers":2,"farms":3,"fields":4}]
        """;

    /// <summary>An envelope of <paramref name="count"/> summaries: past the 16 KB the SDK reads whole, it streams.</summary>
    public static string Large(int count, bool bare = false)
    {
        var text = new StringBuilder(bare ? "[" : "{\"message\":\"SUCCESS\",\"summaries\":[");
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $"{{\"provider\":\"{(i % 3 == 0 ? "Trimble" : i % 3 == 1 ? "Stara" : "Lindsay")}\",\"leafUserId\":\"{new Guid(i, 0, 0, new byte[8])}\",\"growers\":{i},\"farms\":{i},\"fields\":{i},\"syncReferenceTime\":\"2024-01-02T03:04:05.123456789Z\"}}");
        }

        return text.Append(bare ? "]" : "]}").ToString();
    }

    public static string Problem(int status, string title, string detail, string errorKey) =>
        $$"""{"type":"https://www.withleaf.io/problem/problem-with-message","title":"{{title}}","status":{{status}},"detail":"{{detail}}","path":"/services/integrations/api/resources","message":"error.http.{{status}}","errorKey":"{{errorKey}}"}""";

    /// <summary>An unsigned JWT whose exp is <paramref name="expiresIn"/> from now.</summary>
    public static string Jwt(string subject, TimeSpan expiresIn)
    {
        var exp = DateTimeOffset.UtcNow.Add(expiresIn).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"none\"}")}.{B64($"{{\"sub\":\"{subject}\",\"exp\":{exp}}}")}.sig";

        static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string LoginAnswer(string token) => $$"""{"id_token":"{{token}}"}""";
}

/// <summary>Keeps every log event, formatted, for the scenarios to read.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string All => string.Join("\n", Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel}|{category}|{eventId.Id}|{formatter(state, exception)}|{exception}";
            lock (owner._lines)
            {
                owner._lines.Add(line);
            }
        }
    }
}

/// <summary>The spans and Polly's metrics recorded while it lives.</summary>
internal sealed class TelemetryRecorder : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly System.Diagnostics.Metrics.MeterListener _meters = new();
    private readonly List<Activity> _stopped = [];
    private readonly List<string> _measurements = [];

    public TelemetryRecorder()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Leaf.Sdk",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Polly")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument.Name, tags));
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument.Name, tags));
        _meters.Start();
    }

    public IReadOnlyList<Activity> Stopped
    {
        get
        {
            lock (_stopped)
            {
                return [.. _stopped];
            }
        }
    }

    public IReadOnlyList<string> Measurements
    {
        get
        {
            lock (_measurements)
            {
                return [.. _measurements];
            }
        }
    }

    private void Record(string instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new StringBuilder(instrument);
        foreach (var tag in tags)
        {
            text.Append(CultureInfo.InvariantCulture, $" {tag.Key}={tag.Value}");
        }

        lock (_measurements)
        {
            _measurements.Add(text.ToString());
        }
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
