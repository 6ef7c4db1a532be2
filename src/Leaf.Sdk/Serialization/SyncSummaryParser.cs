using System.Text.Json;
using Leaf.Sdk.Diagnostics;

namespace Leaf.Sdk.Serialization;

/// <summary>
/// Turns a successful response body into a <see cref="SyncSummaryResponse"/>, streaming: the body is never held
/// whole as a string or array. Accepts the envelope and the older bare-array shape.
/// </summary>
internal static class SyncSummaryParser
{
    /// <param name="content">The body.</param>
    /// <param name="sentToken">The token the request carried, kept out of the excerpt should the server echo it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="LeafApiException">The body is empty, not JSON, or not a Sync Summary.</exception>
    /// <exception cref="IOException">The connection broke while the body was read (transient).</exception>
    /// <exception cref="HttpRequestException">The connection broke while the body was read (transient).</exception>
    public static async ValueTask<SyncSummaryResponse> ParseAsync(HttpContent content, string? sentToken, CancellationToken cancellationToken)
    {
        var body = new PrefixCapturingStream(await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        await using (body.ConfigureAwait(false))
        {
            var first = await body.PeekFirstSignificantByteAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return first switch
                {
                    '{' => FromEnvelope(await JsonSerializer.DeserializeAsync(body, LeafJsonContext.Default.SyncSummaryEnvelope, cancellationToken).ConfigureAwait(false)),
                    '[' => FromArray(null, await JsonSerializer.DeserializeAsync(body, LeafJsonContext.Default.ListSyncSummary, cancellationToken).ConfigureAwait(false)),
                    -1 => throw Invalid(sentToken, "Leaf answered with an empty body where a Sync Summary was expected.", body, null),
                    '<' => throw Invalid(sentToken, "Leaf answered with HTML instead of JSON (a proxy or gateway error page?).", body, null),
                    _ => throw Invalid(sentToken, JsonScalar(body.Captured) is { } scalar
                        ? $"Leaf answered with {scalar} where a Sync Summary (a JSON object or array) was expected."
                        : "Leaf answered with something that is not JSON.", body, null),
                };
            }
            catch (JsonException ex)
            {
                throw Invalid(sentToken, $"Leaf answered with a body that is not a valid Sync Summary: {Describe(ex)}", body, ex);
            }
        }
    }

    private static SyncSummaryResponse FromEnvelope(SyncSummaryEnvelope? envelope) =>
        envelope is null ? new SyncSummaryResponse() : FromArray(envelope.Message, envelope.Summaries);

    private static SyncSummaryResponse FromArray(string? message, List<SyncSummary?>? summaries)
    {
        if (summaries is null || summaries.Count == 0)
        {
            return new SyncSummaryResponse { Message = message };
        }

        // A null entry says nothing; dropping it beats handing users a null in a non-nullable list.
        if (summaries.Contains(null))
        {
            summaries.RemoveAll(static s => s is null);
        }

        return new SyncSummaryResponse { Message = message, Summaries = summaries! };
    }

    // A body that is valid JSON but a bare value ("42", "true", a string) is not "not JSON": say what it is.
    private static string? JsonScalar(ReadOnlySpan<byte> captured)
    {
        var text = captured.TrimStart(" \t\r\n\xEF\xBB\xBF"u8);
        return text switch
        {
            [(byte)'"', ..] => "a JSON string",
            [(byte)'-' or (>= (byte)'0' and <= (byte)'9'), ..] => "a JSON number",
            _ when text.StartsWith("true"u8) || text.StartsWith("false"u8) => "a JSON boolean",
            _ when text.StartsWith("null"u8) => "JSON null",
            _ => null,
        };
    }

    private static string Describe(JsonException ex)
    {
        // Our converter's messages are already sentences; the serializer's own carry the JSON path in ex.Path, and
        // its type-mismatch message names .NET types ("List`1[Leaf.Sdk.SyncSummary]") that mean nothing to a reader.
        var what = ex.Message.StartsWith("The JSON value could not be converted to", StringComparison.Ordinal)
            ? "a value has the wrong type"
            : ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd();
        return ex.Path is { Length: > 0 } path ? $"{what} (at {path})" : what;
    }

    private static LeafApiException Invalid(string? sentToken, string message, PrefixCapturingStream body, Exception? inner) =>
        new(message, System.Net.HttpStatusCode.OK, responseExcerpt: Redaction.Excerpt(body.Captured, sentToken), innerException: inner);
}
