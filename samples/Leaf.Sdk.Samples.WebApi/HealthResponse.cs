using System.Buffers;
using System.Text.Json;
using Leaf.Sdk;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeafWebApi;

/// <summary>Writes a health report as JSON: the overall status, then each check with its description and data (findings included).</summary>
internal static class HealthResponse
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        // Kestrel refuses synchronous writes: build the body in memory, then send it at once.
        var body = new ArrayBufferWriter<byte>();
        await using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, report);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    private static void Write(Utf8JsonWriter writer, HealthReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("status", report.Status.ToString());
        writer.WriteNumber("durationMs", (long)report.TotalDuration.TotalMilliseconds);
        writer.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            writer.WriteStartObject(name);
            writer.WriteString("status", entry.Status.ToString());
            writer.WriteString("description", entry.Description);
            writer.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                writer.WritePropertyName(key);
                switch (value)
                {
                    case List<SyncFinding> findings:
                        JsonSerializer.Serialize(writer, findings, AppJsonContext.Default.ListSyncFinding);
                        break;
                    case int number:
                        writer.WriteNumberValue(number);
                        break;
                    default:
                        writer.WriteStringValue(value?.ToString());
                        break;
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
