using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leaf.Sdk.Serialization;

/// <summary>
/// Reads one summary straight into the public record: no intermediate DTO, no string for a known provider name,
/// unknown keys skipped, absent keys left <see langword="null"/>.
/// </summary>
internal sealed class SyncSummaryConverter : JsonConverter<SyncSummary>
{
    // The API names as UTF-8, compared against the raw bytes so a known provider costs no allocation.
    private static readonly (byte[] Utf8, string Name, Provider Provider)[] KnownNames =
        [.. Providers.All.Select(p => (Encoding.UTF8.GetBytes(p.ApiName), p.ApiName, p.Provider))];

    public override SyncSummary Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Rejected(reader, $"Expected a summary object but found {Describe(reader.TokenType)}.", inSummary: false);
        }

        Provider provider = Provider.Unknown;
        string providerName = string.Empty;
        Guid leafUserId = Guid.Empty;
        int? growers = null, farms = null, fields = null;
        DateTimeOffset? syncReferenceTime = null;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // The reader guarantees a PropertyName here: the converter only ever sees a complete object.
            var key = ReadKey(ref reader);
            reader.Read();
            switch (key)
            {
                case Key.Provider: (provider, providerName) = ReadProvider(ref reader); break;
                case Key.LeafUserId: leafUserId = ReadGuid(ref reader); break;
                case Key.Growers: growers = ReadCount(ref reader, "growers"); break;
                case Key.Farms: farms = ReadCount(ref reader, "farms"); break;
                case Key.Fields: fields = ReadCount(ref reader, "fields"); break;
                case Key.SyncReferenceTime: syncReferenceTime = ReadTimestamp(ref reader); break;

                // Extra keys are Leaf's to add; they must never break a client. TrySkip, not Skip: while more of a
                // large body is to come, the serializer hands over a reader on a block that is not the last, on which
                // Skip throws; it has read the whole summary ahead, so TrySkip finds the value's end.
                default:
                    if (!reader.TrySkip())
                    {
                        throw new JsonException("A summary broke off inside a value.");
                    }

                    break;
            }
        }

        return new SyncSummary
        {
            Provider = provider,
            ProviderName = providerName,
            LeafUserId = leafUserId,
            Growers = growers,
            Farms = farms,
            Fields = fields,
            SyncReferenceTime = syncReferenceTime,
        };
    }

    private enum Key
    {
        Other,
        Provider,
        LeafUserId,
        Growers,
        Farms,
        Fields,
        SyncReferenceTime,
    }

    // The keys as Leaf writes them (camelCase), once for both ways of matching them.
    private static readonly (byte[] Name, Key Key)[] Keys =
    [
        ("provider"u8.ToArray(), Key.Provider),
        ("leafUserId"u8.ToArray(), Key.LeafUserId),
        ("growers"u8.ToArray(), Key.Growers),
        ("farms"u8.ToArray(), Key.Farms),
        ("fields"u8.ToArray(), Key.Fields),
        ("syncReferenceTime"u8.ToArray(), Key.SyncReferenceTime),
    ];

    // Leaf writes camelCase, matched byte for byte. A key in another case matches too, as the envelope's keys do (the
    // serializer's PropertyNameCaseInsensitive): compared as ASCII without allocating, unless it is escaped.
    private static Key ReadKey(ref Utf8JsonReader reader)
    {
        foreach (var (name, key) in Keys)
        {
            if (reader.ValueTextEquals(name))
            {
                return key;
            }
        }

        ReadOnlySpan<byte> raw = reader.ValueIsEscaped || reader.HasValueSequence ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        foreach (var (name, key) in Keys)
        {
            if (Ascii.EqualsIgnoreCase(raw, name))
            {
                return key;
            }
        }

        return Key.Other;
    }

    /// <summary>A sync time as Leaf writes it: UTC ISO-8601, with as many fractional digits as it has (none when 0).</summary>
    internal const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    // The SDK only reads summaries: nothing writes through LeafJsonContext (the fake server writes its own JSON), so a
    // writer here was code no caller ran and no test could reach.
    public override void Write(Utf8JsonWriter writer, SyncSummary value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Leaf.Sdk reads Sync Summaries; it does not write them.");

    private static (Provider, string) ReadProvider(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (Provider.Unknown, string.Empty);
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw Rejected(reader, $"'provider' must be a string but was {Describe(reader.TokenType)}.");
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            foreach (var (utf8, name, provider) in KnownNames)
            {
                if (reader.ValueSpan.SequenceEqual(utf8))
                {
                    return (provider, name);
                }
            }
        }

        var raw = reader.GetString()!;
        _ = Providers.TryParse(raw, out var parsed);
        return (parsed, raw);
    }

    private static Guid ReadGuid(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return Guid.Empty;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw Rejected(reader, $"'leafUserId' must be a UUID string but was {Describe(reader.TokenType)}.");
        }

        if (reader.TryGetGuid(out var id) || Guid.TryParse(reader.GetString(), CultureInfo.InvariantCulture, out id))
        {
            return id;
        }

        throw Rejected(reader, "'leafUserId' is not a UUID.");
    }

    private static int? ReadCount(ref Utf8JsonReader reader, string name)
    {
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number when reader.TryGetInt32(out var count) && count >= 0 => count,
            JsonTokenType.Number => throw Rejected(reader, $"'{name}' must be a whole number from 0 to {int.MaxValue}."),
            _ => throw Rejected(reader, $"'{name}' must be a number but was {Describe(reader.TokenType)}."),
        };
    }

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw Rejected(reader, $"'syncReferenceTime' must be an ISO-8601 string but was {Describe(reader.TokenType)}.");
        }

        // Fast path: Leaf's usual form, UTC with 'Z' and up to 7 fractional digits.
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var span = reader.ValueSpan;
            if (span.Length > 0 && span[^1] == (byte)'Z' && reader.TryGetDateTimeOffset(out var fast))
            {
                return fast;
            }
        }

        return ParseTimestampSlow(reader.GetString()!) ?? throw Rejected(reader, "'syncReferenceTime' is not an ISO-8601 timestamp.");
    }

    // Handles what the fast path does not: 8 or 9 fractional digits (truncated to the 100 ns that DateTimeOffset
    // holds) and a missing offset, which Leaf means as UTC.
    private static DateTimeOffset? ParseTimestampSlow(string text)
    {
        var trimmed = TrimExtraFraction(text);
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        return null;
    }

    private static string TrimExtraFraction(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return text;
        }

        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        const int MaxDigits = 7;
        return end - dot - 1 > MaxDigits ? string.Concat(text.AsSpan(0, dot + 1 + MaxDigits), text.AsSpan(end)) : text;
    }

    // The serializer reads a summary ahead, which checks its syntax, before this converter sees it, but only while more
    // of a large body is to come: in the body's last block (all of a small body) it hands the summary over unchecked.
    // A summary that is both mistyped and broken must be refused for the same reason either way, so before refusing a
    // value, the rest of the summary (a copy of the reader: it is not consumed) is read for the syntax error the
    // read-ahead would have met first. Only ever on the way to an error.
    private static JsonException Rejected(Utf8JsonReader rest, string message, bool inSummary = true)
    {
        try
        {
            var summaryDepth = rest.CurrentDepth - 1;
            if (rest.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !rest.TrySkip())
            {
                return new JsonException(message);
            }

            while (inSummary && rest.Read() && !(rest.TokenType == JsonTokenType.EndObject && rest.CurrentDepth == summaryDepth))
            {
            }
        }
        catch (JsonException broken)
        {
            return broken;
        }

        return new JsonException(message);
    }

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => token.ToString(),
    };
}
