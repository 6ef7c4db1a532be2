using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using Leaf.Sdk.Tests.Authentication;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.Round10Secrets;

/// <summary>
/// Everything a user or an operator sees of one test's calls: every log record at Trace of every category (message,
/// each structured value, the exception's ToString()), every span's tags, events and baggage from every source, every
/// metric's tags from every meter, and the texts a test adds (exceptions with their whole chain, ToString() output).
/// The listeners are process-wide and see other tests' calls too; the secrets are unique to each test, so that only
/// makes the scan bigger, never wrong.
/// </summary>
internal sealed class SecretChannels : IDisposable
{
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ConcurrentQueue<string> _texts = new();
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters;

    public SecretChannels()
    {
        LoggerFactory = _logs.CreateFactory();
        _spans = new ActivityListener
        {
            ShouldListenTo = static _ => true,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _texts.Enqueue("span: " + Describe(activity)),
        };
        ActivitySource.AddActivityListener(_spans);
        _meters = new MeterListener { InstrumentPublished = static (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        _meters.SetMeasurementEventCallback<int>((i, _, tags, _) => _texts.Enqueue("metric: " + Describe(i, tags)));
        _meters.SetMeasurementEventCallback<long>((i, _, tags, _) => _texts.Enqueue("metric: " + Describe(i, tags)));
        _meters.SetMeasurementEventCallback<double>((i, _, tags, _) => _texts.Enqueue("metric: " + Describe(i, tags)));
        _meters.Start();
    }

    public ILoggerFactory LoggerFactory { get; }

    public IReadOnlyList<(string Category, LogLevel Level, string Text)> LogEntries => _logs.Entries;

    /// <summary>Adds a text shown to someone (a ToString(), a sample's output).</summary>
    public void Add(string? text)
    {
        if (text is not null)
        {
            _texts.Enqueue(text);
        }
    }

    /// <summary>Adds an exception: each level of its chain, by Message, ToString(), Data and every public property.</summary>
    public void Add(Exception? error)
    {
        for (var level = error; level is not null; level = level.InnerException)
        {
            Add(level.Message);
            Add(level.ToString());
            foreach (DictionaryEntry entry in level.Data)
            {
                Add($"Data: {entry.Key}={entry.Value}");
            }

            foreach (var property in level.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0 && property.Name is not nameof(Exception.TargetSite))
                {
                    Add($"{property.Name}: {property.GetValue(level)}");
                }
            }

            if (level is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Skip(1))
                {
                    Add(inner);
                }
            }
        }
    }

    /// <summary>Every text seen, log records first.</summary>
    public IReadOnlyList<string> Texts() =>
        [.. _logs.Entries.Select(e => $"log [{e.Category}] {e.Level}: {e.Text}"), .. _texts];

    /// <summary>The texts that show <paramref name="secrets"/> in any spelling, each with the spelling marked.</summary>
    public IReadOnlyList<string> Leaks(params IEnumerable<string> secrets)
    {
        var forms = secrets.SelectMany(SecretForms.Of).Distinct(StringComparer.Ordinal).ToList();
        return [.. from text in Texts()
                   from form in forms
                   where text.Contains(form, StringComparison.Ordinal)
                   select $"<<{form}>> in: {Shorten(text, form)}"];
    }

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
        LoggerFactory.Dispose();
    }

    private static string Shorten(string text, string form)
    {
        var at = text.IndexOf(form, StringComparison.Ordinal);
        var start = Math.Max(0, at - 200);
        return text.Substring(start, Math.Min(text.Length - start, 400 + form.Length));
    }

    private static string Describe(Activity a) =>
        $"{a.Source.Name} {a.OperationName} {a.DisplayName} {a.Status} {a.StatusDescription} | "
        + string.Join(" | ", a.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " | "
        + string.Join(" | ", a.Events.Select(e => e.Name + " " + string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}")))) + " | "
        + string.Join(" | ", a.Baggage.Select(b => $"{b.Key}={b.Value}"));

    private static string Describe(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new StringBuilder(instrument.Meter.Name).Append(' ').Append(instrument.Name);
        foreach (var tag in tags)
        {
            text.Append(" | ").Append(tag.Key).Append('=').Append(tag.Value);
        }

        return text.ToString();
    }
}

/// <summary>The spellings of a secret a plain substring check would miss.</summary>
internal static class SecretForms
{
    public static IEnumerable<string> Of(string secret)
    {
        yield return secret;
        yield return Uri.EscapeDataString(secret);
        yield return LowerHex(Uri.EscapeDataString(secret), '%');
        yield return JavaScriptEncoder.Default.Encode(secret);
        yield return LowerHex(JavaScriptEncoder.Default.Encode(secret), 'u');
        yield return JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(secret).Replace("/", "\\/", StringComparison.Ordinal);
        yield return EveryCharEscaped(secret);
        yield return Python(secret);
        yield return Php(secret);
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('=');
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        // A unique stretch of the secret (the secrets share a readable prefix): a piece shows it too.
        if (secret.Length >= 24)
        {
            yield return secret.Substring(secret.Length - 12, 12);
        }
    }

    /// <summary>As Python's json.dumps spells a text: non-ASCII as \uxxxx in lower-case hex, nothing else escaped but quotes.</summary>
    public static string Python(string text) =>
        string.Concat(text.Select(static c => c switch
        {
            '"' or '\\' => "\\" + c,
            > (char)0x7E => $"\\u{(int)c:x4}",
            _ => c.ToString(),
        }));

    /// <summary>As PHP's json_encode spells a text: as Python does, and '/' as "\/".</summary>
    public static string Php(string text) => Python(text).Replace("/", "\\/", StringComparison.Ordinal);

    /// <summary>The secret with every character as a JSON \u escape, as some encoders write non-ASCII text.</summary>
    public static string EveryCharEscaped(string secret) =>
        string.Concat(secret.Select(static c => $"\\u{(int)c:x4}"));

    private static string LowerHex(string text, char marker)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            result.Append(text[i]);
            var width = marker == '%' ? 2 : 4;
            var escape = marker == '%' ? text[i] == '%' : text[i] == '\\' && i + 1 < text.Length && text[i + 1] == 'u';
            if (escape)
            {
                if (marker == 'u')
                {
                    result.Append('u');
                    i++;
                }

                for (var j = 0; j < width && i + 1 < text.Length; j++)
                {
                    result.Append(char.ToLowerInvariant(text[++i]));
                }
            }
        }

        return result.ToString();
    }
}
