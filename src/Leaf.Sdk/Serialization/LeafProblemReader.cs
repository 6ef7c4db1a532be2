using System.Text;
using System.Text.Json;

namespace Leaf.Sdk.Serialization;

/// <summary>
/// Reads Leaf's problem body leniently: any member may be missing or of an unexpected type, and a body that is not
/// a JSON object (HTML from a proxy, plain text, nothing), or an object with no member that could be read, is simply
/// no problem.
/// </summary>
internal static class LeafProblemReader
{
    /// <param name="body">The body, or its start when it was read up to a cap.</param>
    /// <param name="complete">
    /// Whether <paramref name="body"/> is the whole body. A body cut at the cap is read as far as it goes: the members
    /// before the cut (Leaf sends type, title and status first) still count, a member cut in two does not.
    /// </param>
    public static LeafProblem? TryRead(ReadOnlySpan<byte> body, bool complete = true)
    {
        // A byte-order mark (a gateway on Windows writes one) is skipped by the rule that skips it before a Sync Summary:
        // whole, and only at the very start. The reader would take it for a broken value, and the problem with it.
        body = body[PrefixCapturingStream.SignificantStart(body)..];

        try
        {
            var reader = new Utf8JsonReader(body, complete, new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip }));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? type = null, title = null, detail = null, path = null, message = null, errorKey = null;
            int? status = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = Text(ref reader);

                // No member is an object or an array: one is skipped whole, and the reading stops where the cut is.
                if (!reader.Read() || (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()))
                {
                    break;
                }

                switch (name?.ToUpperInvariant())
                {
                    case "TYPE": type = ReadString(ref reader); break;
                    case "TITLE": title = ReadString(ref reader); break;
                    case "DETAIL": detail = ReadString(ref reader); break;
                    case "PATH": path = ReadString(ref reader); break;
                    case "MESSAGE": message = ReadString(ref reader); break;
                    case "ERRORKEY": errorKey = ReadString(ref reader); break;
                    case "STATUS": status = ReadInt(ref reader); break;
                }
            }

            // An object whose members were all of the wrong type would otherwise be a problem with nothing in it.
            return type is null && title is null && status is null && detail is null && path is null && message is null && errorKey is null
                ? null
                : new LeafProblem(type, title, status, detail, path, message, errorKey);
        }
        catch (JsonException)
        {
            // A truncated or broken problem body: the excerpt still tells the story.
            return null;
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? Text(ref reader) : null;

    // A gateway may write its problem in Latin-1 or another legacy charset. The reader tokenizes such bytes but will not
    // turn them into text (an InvalidOperationException, not a JsonException), which must cost that one member, not the
    // status and the rest of the problem: the raw bytes are decoded leniently, one U+FFFD per byte that is not UTF-8.
    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException) when (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            // An escaped value would need unescaping by hand first; rare enough to leave out.
            return reader.ValueIsEscaped ? null : Encoding.UTF8.GetString(reader.ValueSpan);
        }
    }

    private static int? ReadInt(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.String && int.TryParse(Text(ref reader), System.Globalization.CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        return null;
    }
}
