using System.Text.Json;
using Leaf.Sdk;

namespace LeafSyncSummary;

/// <summary>The --json output: one JSON object, counts as numbers or null where Leaf sent no count.</summary>
internal static class JsonOutput
{
    public static void Write(Stream stream, SyncSummaryResponse response, bool fake)
    {
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("source", fake ? "fake" : "leaf");
            writer.WriteString("message", response.Message);
            writer.WriteStartArray("summaries");
            foreach (var s in response.Summaries)
            {
                writer.WriteStartObject();
                writer.WriteString("provider", s.ProviderName);
                writer.WriteString("displayName", SyncComparison.ColumnName(s));
                writer.WriteBoolean("knownProvider", s.Provider != Provider.Unknown);
                writer.WriteString("leafUserId", s.LeafUserId);
                Count(writer, "growers", s.Growers);
                Count(writer, "farms", s.Farms);
                Count(writer, "fields", s.Fields);
                if (s.SyncReferenceTime is { } time)
                {
                    writer.WriteString("syncReferenceTime", time.UtcDateTime);
                }
                else
                {
                    writer.WriteNull("syncReferenceTime");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        stream.Flush();
    }

    private static void Count(Utf8JsonWriter writer, string name, int? count)
    {
        if (count is { } value)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
