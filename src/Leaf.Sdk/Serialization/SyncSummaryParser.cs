using System.Buffers;
using System.Text;
using System.Text.Json;
using Leaf.Sdk.Diagnostics;

namespace Leaf.Sdk.Serialization;

/// <summary>
/// Turns a successful response body into a <see cref="SyncSummaryResponse"/>, streaming: the body is never held
/// whole as a string or array. Accepts the envelope and the older bare-array shape.
/// </summary>
internal static class SyncSummaryParser
{
    /// <summary>Parses an answer's body, by its Content-Length only when it was not sent chunked.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="sentToken">The token the request carried, kept out of the excerpt should the server echo it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static ValueTask<SyncSummaryResponse> ParseAsync(HttpResponseMessage response, string? sentToken, CancellationToken cancellationToken) =>
        ParseAsync(response.Content, sentToken, cancellationToken, chunked: response.Headers.TransferEncodingChunked == true);

    /// <param name="content">The body.</param>
    /// <param name="sentToken">The token the request carried, kept out of the excerpt should the server echo it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="chunked">
    /// The answer came with Transfer-Encoding: chunked. Its Content-Length, if it has one as well, is then not the
    /// body's length: HTTP ignores it (RFC 9112, 6.3), and so does the transport, which reads the chunks to their end.
    /// </param>
    /// <exception cref="LeafApiException">The body is empty, not JSON, or not a Sync Summary.</exception>
    /// <exception cref="IOException">The connection broke while the body was read (transient).</exception>
    /// <exception cref="HttpRequestException">The connection broke while the body was read (transient).</exception>
    public static async ValueTask<SyncSummaryResponse> ParseAsync(HttpContent content, string? sentToken, CancellationToken cancellationToken, bool chunked = false)
    {
        var length = chunked ? null : content.Headers.ContentLength;
        if (length > MaxBodyBytes)
        {
            // Not a byte of it is read: the transport closes the connection rather than drain that much.
            throw new LeafApiException(TooLarge(length), System.Net.HttpStatusCode.OK);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (length is { } small and <= SmallBodyLimit)
        {
            return await ParseSmallAsync(stream, (int)small, sentToken, cancellationToken).ConfigureAwait(false);
        }

        var body = new PrefixCapturingStream(stream);
        await using (body.ConfigureAwait(false))
        {
            try
            {
                var first = await body.PeekFirstSignificantByteAsync(cancellationToken).ConfigureAwait(false);
                if (first is not ('{' or '['))
                {
                    // Only the first bytes may have arrived yet ("nu" of "null"): say what the body is from as much of
                    // its start as the whole-body path would see.
                    await body.FillAsync(cancellationToken).ConfigureAwait(false);
                    throw Invalid(sentToken, NotASummary(first, body.Content), body.Content, CutShort(body), null);
                }

                return first == '{'
                    ? FromEnvelope(await JsonSerializer.DeserializeAsync(body, LeafJsonContext.Default.SyncSummaryEnvelope, cancellationToken).ConfigureAwait(false))
                    : FromArray(null, await JsonSerializer.DeserializeAsync(body, LeafJsonContext.Default.ListSyncSummary, cancellationToken).ConfigureAwait(false));
            }
            catch (JsonException ex)
            {
                throw Invalid(sentToken, NotValid(ex, sentToken), body.Content, CutShort(body), ex);
            }
            catch (LeafApiException tooLarge) when (body.Exceeded)
            {
                // The stream stopped reading at the bound; the start of the body says what was sent.
                throw new LeafApiException(tooLarge.Message, System.Net.HttpStatusCode.OK, responseExcerpt: Redaction.Excerpt(body.Content, CutShort(body), sentToken));
            }
        }
    }

    /// <summary>
    /// The largest body the parser reads, after decompression: a Sync Summary of over half a million summaries (a large
    /// account's unfiltered answer is a few megabytes). Past it, the answer is a
    /// <see cref="LeafApiException"/>, not retried, rather than memory and time spent until AttemptTimeout, on every
    /// attempt: a small compressed body can expand to gigabytes.
    /// </summary>
    internal const long MaxBodyBytes = 128L * 1024 * 1024;

    /// <summary>What to say about a body over <see cref="MaxBodyBytes"/>, by its Content-Length when it came with one.</summary>
    internal static string TooLarge(long? declared) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"Leaf answered with a body {(declared is { } bytes ? $"of {bytes} bytes (Content-Length)" : $"that went on past {MaxBodyBytes >> 20} MB")}, more than the SDK reads for a Sync Summary ({MaxBodyBytes >> 20} MB, over half a million summaries); ask for less with the provider or leafUserId filter, and check what answers at BaseAddress.");

    /// <summary>
    /// The largest body, by its Content-Length, read whole and parsed in one synchronous pass; the size of the
    /// buffer the streaming serializer rents anyway, so a small body costs no more memory either way.
    /// </summary>
    internal const int SmallBodyLimit = 16 * 1024;

    // One user's summary is a kilobyte or two that arrives with its length and usually in the same packet as the
    // headers. Reading it into a pooled buffer and parsing that skips the serializer's resumable-read machinery, a
    // fifth of the parsing time of a small body. A body without a length, or a larger one, streams.
    private static async ValueTask<SyncSummaryResponse> ParseSmallAsync(Stream stream, int length, string? sentToken, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            int read;
            await using (stream.ConfigureAwait(false))
            {
                read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }

            return Parse(buffer.AsSpan(0, read), sentToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static SyncSummaryResponse Parse(ReadOnlySpan<byte> body, string? sentToken)
    {
        var start = PrefixCapturingStream.SignificantStart(body);
        var json = body[start..];
        var excerpt = json[..Math.Min(json.Length, PrefixCapturingStream.Capacity)];
        if (WholeBodyReader.TryRead(json) is { } read)
        {
            return FromEnvelope(read);
        }

        try
        {
            return json switch
            {
                [(byte)'{', ..] => FromEnvelope(JsonSerializer.Deserialize(json, LeafJsonContext.Default.SyncSummaryEnvelope)),
                [(byte)'[', ..] => FromArray(null, JsonSerializer.Deserialize(json, LeafJsonContext.Default.ListSyncSummary)),
                [var first, ..] => throw Invalid(sentToken, NotASummary(first, excerpt), excerpt, CutShort(excerpt), null),
                [] => throw Invalid(sentToken, NotASummary(-1, excerpt), excerpt, CutShort(excerpt), null),
            };
        }
        catch (JsonException ex)
        {
            throw Invalid(sentToken, NotValid(ex, sentToken), excerpt, CutShort(excerpt), ex);
        }
    }

    // What to say about a body whose first significant byte (-1: none) cannot start a Sync Summary.
    private static string NotASummary(int first, ReadOnlySpan<byte> captured) => first switch
    {
        -1 => "Leaf answered with an empty body where a Sync Summary was expected.",
        '<' => "Leaf answered with HTML instead of JSON (a proxy or gateway error page?).",
        _ => JsonScalar(captured) is { } scalar
            ? $"Leaf answered with {scalar} where a Sync Summary (a JSON object or array) was expected."
            : "Leaf answered with something that is not JSON.",
    };

    private static string NotValid(JsonException ex, string? sentToken) => $"Leaf answered with a body that is not a valid Sync Summary: {Describe(ex, sentToken)}";

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
    // (The text starts at the body's first significant byte.)
    private static string? JsonScalar(ReadOnlySpan<byte> text)
    {
        return text switch
        {
            [(byte)'"', ..] => "a JSON string",
            [(byte)'-' or (>= (byte)'0' and <= (byte)'9'), ..] => "a JSON number",
            _ when text.StartsWith("true"u8) || text.StartsWith("false"u8) => "a JSON boolean",
            _ when text.StartsWith("null"u8) => "JSON null",
            _ => null,
        };
    }

    internal static string Describe(JsonException ex, string? sentToken)
    {
        // Our converter's messages are already sentences; the serializer's own carry the JSON path in ex.Path, and
        // its type-mismatch message names .NET types ("List`1[Leaf.Sdk.SyncSummary]") that mean nothing to a reader.
        // An app trimmed with UseSystemResourceKeys gets the serializer's resource key instead of its English text
        // ("DeserializeUnableToConvertValue, List`1[...]"), and is told the same.
        var what = ex.Message.StartsWith("The JSON value could not be converted to", StringComparison.Ordinal)
            || ex.Message.StartsWith("DeserializeUnableToConvertValue,", StringComparison.Ordinal)
            ? "a value has the wrong type"
            : Bounded(ShortLiteral(WithoutPosition(ex.Message), sentToken), sentToken);
        // "$" alone says nothing; and after the root value has ended ("invalid after a single JSON value") the
        // serializer reports "$" when it streams but "$[1]" when it reads a body whole: no path is the honest answer.
        return ex.Path is { Length: > 1 } path
            && !ex.Message.Contains("after a single JSON value", StringComparison.Ordinal)
            && !ex.Message.StartsWith("ExpectedEndAfterSingleJson,", StringComparison.Ordinal)
            ? $"{what} (at {path})"
            : what;
    }

    // A reader message that quotes the body in a form ShortLiteral does not know (under UseSystemResourceKeys the
    // literal comes as "ExpectedNull, nul,..." with the rest of the reader's buffer, up to 16 KB) must not grow the
    // message with the body either: one line, scrubbed before it is cut, at most a few lines of text.
    private static string Bounded(string what, string? sentToken)
    {
        const int Shown = 200;
        if (what.Length <= Shown)
        {
            return what;
        }

        var line = Redaction.Scrub(OneLine(what), sentToken).TrimEnd();
        return line.Length > Shown ? string.Concat(line.AsSpan(0, Shown), "…") : line;
    }

    // The reader quotes an invalid literal with all that follows it in its buffer ("'nul,"fields":7,...' is an invalid
    // JSON literal."): the rest of a small body, up to 16 KB of a large one, so the message grew with the body and
    // differed with the read path. Its start says what was wrong. Scrubbed before it is cut, so that no piece of a
    // secret outlives the cut.
    private static string ShortLiteral(string what, string? sentToken) =>
        FindLiteral(what) is (var start, var end) ? string.Concat(what.AsSpan(0, start), Shortened(what[start..end], sentToken), what.AsSpan(end)) : what;

    /// <summary>The reader's text without the position it appends (" Path: … | LineNumber: … | BytePositionInLine: …").</summary>
    internal static string WithoutPosition(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd();

    /// <summary>
    /// Where the reader's text quotes an invalid literal, with all that followed it in its buffer: in English
    /// ("'nul,…' is an invalid JSON literal. …"), or under UseSystemResourceKeys after the key ("ExpectedTrue, tsekrit-…"),
    /// up to the position the reader appends (" LineNumber: …"), if that is still there.
    /// </summary>
    internal static (int Start, int End)? FindLiteral(string what)
    {
        const string Literal = "' is an invalid JSON literal.";
        var end = what.LastIndexOf(Literal, StringComparison.Ordinal);
        if (end >= 1 && what[0] == '\'')
        {
            return (1, end);
        }

        foreach (var key in LiteralKeys)
        {
            if (what.StartsWith(key, StringComparison.Ordinal))
            {
                var stop = what.IndexOf(" LineNumber:", key.Length, StringComparison.Ordinal);
                return (key.Length, stop < 0 ? what.Length : stop);
            }
        }

        return null;
    }

    private static readonly string[] LiteralKeys = ["ExpectedNull, ", "ExpectedTrue, ", "ExpectedFalse, "];

    // The literal runs to the end of the reader's buffer when nothing ends it sooner: a token the buffer cut in two ends
    // it, and only its first part is there to find.
    private static string Shortened(string literal, string? sentToken)
    {
        const int Shown = 16;
        var quoted = Redaction.ScrubCutShort(OneLine(literal), sentToken).TrimEnd();
        return quoted.Length > Shown ? string.Concat(quoted.AsSpan(0, Shown), "…") : quoted;
    }

    // Each run of white space as one space. The scrubber's look-behinds ("Bearer\s+") scan back over a run from every
    // position in it: over the kilobytes of white space a quoted literal can carry, seconds of work for one error.
    private static string OneLine(string text)
    {
        var line = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                line.Append(c);
            }
            else if (line.Length == 0 || line[^1] != ' ')
            {
                line.Append(' ');
            }
        }

        return line.ToString();
    }

    // The excerpt quotes at most the prefix's capacity: a prefix that full may have been cut inside the token.
    private static bool CutShort(ReadOnlySpan<byte> excerpt) => excerpt.Length >= PrefixCapturingStream.Capacity;

    private static bool CutShort(PrefixCapturingStream body) => body.Captured.Length >= PrefixCapturingStream.Capacity;

    // The message is scrubbed as the excerpt is: the serializer's path in it spells the body's keys, one of which may be
    // the token echoed back.
    private static LeafApiException Invalid(string? sentToken, string message, ReadOnlySpan<byte> excerpt, bool cutShort, JsonException? inner) =>
        new(Redaction.Scrub(message, sentToken), System.Net.HttpStatusCode.OK, responseExcerpt: Redaction.Excerpt(excerpt, cutShort, sentToken), innerException: inner is null ? null : Scrubbed(inner, sentToken));

    // The inner exception's message carries the same path and literal, and ToString() and every logger print it.
    private static JsonException Scrubbed(JsonException ex, string? sentToken)
    {
        var message = Redaction.Scrub(OneLine(ShortLiteral(ex.Message, sentToken)), sentToken);
        return string.Equals(message, ex.Message, StringComparison.Ordinal)
            ? ex
            : new JsonException(message, ex.Path is null ? null : Redaction.Scrub(ex.Path, sentToken), ex.LineNumber, ex.BytePositionInLine);
    }
}
