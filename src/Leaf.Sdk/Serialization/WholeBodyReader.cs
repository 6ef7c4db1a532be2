using System.Text.Json;

namespace Leaf.Sdk.Serialization;

/// <summary>
/// Reads a Sync Summary body held whole in memory straight off a <see cref="Utf8JsonReader"/>, with the same
/// <see cref="SyncSummaryConverter"/> for each summary, skipping the serializer's per-call read state (half a
/// kilobyte per call). It accepts only what it is sure of; anything else (a wrong type, a key spelled in another
/// case, invalid JSON) it declines, and the serializer reads the body instead, so results and error messages stay
/// exactly the serializer's.
/// </summary>
internal static class WholeBodyReader
{
    private static readonly SyncSummaryConverter Converter = new();

    /// <summary>Reads <paramref name="json"/>, or returns <see langword="null"/> to leave the body to the serializer.</summary>
    /// <param name="json">The body, starting at its first significant byte.</param>
    public static SyncSummaryEnvelope? TryRead(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            var envelope = reader.TokenType switch
            {
                JsonTokenType.StartObject => ReadEnvelope(ref reader),
                JsonTokenType.StartArray => new SyncSummaryEnvelope { Summaries = ReadSummaries(ref reader) },
                _ => null,
            };

            // Anything after the root value is the serializer's to report.
            return envelope is not null && !reader.Read() ? envelope : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Invalid JSON, text that is not UTF-8, or a summary the converter rejects: the serializer says what,
            // and where.
            return null;
        }
    }

    private static SyncSummaryEnvelope? ReadEnvelope(ref Utf8JsonReader reader)
    {
        var envelope = new SyncSummaryEnvelope();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("summaries"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    envelope.Summaries = null;
                }
                else if (reader.TokenType == JsonTokenType.StartArray && ReadSummaries(ref reader) is { } summaries)
                {
                    envelope.Summaries = summaries;
                }
                else
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return null;
                }

                envelope.Message = reader.GetString();
            }
            else if (reader.ValueSpan.Length is 7 or 9 || reader.ValueIsEscaped)
            {
                // Possibly "Message" or "SUMMARIES": the serializer matches names in any case.
                return null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return reader.TokenType == JsonTokenType.EndObject ? envelope : null;
    }

    private static List<SyncSummary?>? ReadSummaries(ref Utf8JsonReader reader)
    {
        var summaries = new List<SyncSummary?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            summaries.Add(reader.TokenType == JsonTokenType.Null ? null : Converter.Read(ref reader, typeof(SyncSummary), LeafJsonContext.Default.Options));
        }

        return reader.TokenType == JsonTokenType.EndArray ? summaries : null;
    }
}
