using Leaf.Sdk.Serialization;
using NUnit.Framework.Constraints;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>The ways one Sync Summary body can reach the parser, each taking a different read path.</summary>
public enum BodyPath
{
    /// <summary>With a Content-Length up to the small-body limit: read whole into a pooled buffer, WholeBodyReader first.</summary>
    Whole,

    /// <summary>Without a Content-Length (chunked): streamed through the serializer, which sees the whole body as its last block.</summary>
    Streamed,

    /// <summary>Streamed, one to three bytes per read, so the start of the body and its tokens are split across reads.</summary>
    Trickled,

    /// <summary>
    /// With a Content-Length past the small-body limit (the body followed by white space): streamed, and the JSON sits in
    /// a block that is not the body's last, so the serializer reads each summary ahead before the converter sees it.
    /// </summary>
    Large,
}

public enum OutcomeKind
{
    Parsed,
    Rejected,
    Escaped,
}

/// <summary>What one path made of a body: the response, the typed error, or how it escaped.</summary>
public sealed record Outcome(OutcomeKind Kind, SyncSummaryResponse? Response, LeafApiException? Error, string? Escape)
{
    /// <summary>What must be equal between two paths: the summaries and message, or the error's message and excerpt.</summary>
    public string Comparable(bool withExcerpt = true) => Kind switch
    {
        OutcomeKind.Parsed => $"parsed: {Response!.Message ?? "<null>"} | {string.Join("; ", Response.Summaries.Select(Show))}",
        OutcomeKind.Rejected => withExcerpt
            ? $"rejected: {Error!.Message} | status {Error.StatusCode} | transient {Error.IsTransient} | excerpt {Error.ResponseExcerpt ?? "<null>"}"
            : $"rejected: {Error!.Message} | status {Error.StatusCode} | transient {Error.IsTransient}",
        _ => $"escaped: {Escape}",
    };

    public override string ToString() => Comparable();

    // The record's own ToString prints the time in UTC: the offset the body gave must agree too.
    private static string Show(SyncSummary s) =>
        $"{s} @ {s.SyncReferenceTime?.ToString("o", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
}

/// <summary>Runs a body through <see cref="SyncSummaryParser"/> by one <see cref="BodyPath"/>.</summary>
public static class BodyPaths
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(5);

    private static readonly BodyPath[] Paths = Enum.GetValues<BodyPath>();

    /// <summary>Runs <paramref name="body"/> through every path, in the enum's order (<see cref="BodyPath.Whole"/> first).</summary>
    /// <param name="body">The body.</param>
    /// <param name="trickle">
    /// Include <see cref="BodyPath.Trickled"/>, the slowest path (reads of one to three bytes); a test that covers a
    /// truncation at every byte runs it on some of them only.
    /// </param>
    public static async Task<List<(BodyPath Path, Outcome Outcome)>> AllAsync(byte[] body, bool trickle = true)
    {
        var outcomes = new List<(BodyPath, Outcome)>();
        foreach (var path in Paths.Where(p => trickle || p != BodyPath.Trickled))
        {
            outcomes.Add((path, await RunAsync(body, path, sentToken: TestSupport.Stub.Token)));
        }

        return outcomes;
    }

    /// <summary>
    /// Runs <paramref name="body"/> through every path and asserts that each one refuses it with a
    /// <see cref="LeafApiException"/> whose message meets <paramref name="message"/> (all paths reported, not the first).
    /// </summary>
    /// <param name="body">The body.</param>
    /// <param name="message">What the error's message must satisfy on every path.</param>
    public static async Task AssertEveryPathRefusesAsync(byte[] body, IResolveConstraint message)
    {
        var outcomes = await AllAsync(body);

        // Resolved once: an unresolved expression such as Does.Not.Contain(...) loses its Not after its first use.
        var constraint = message.Resolve();
        Assert.Multiple(() =>
        {
            foreach (var (path, outcome) in outcomes)
            {
                Assert.That(outcome.Kind, Is.EqualTo(OutcomeKind.Rejected), $"{path}: {outcome}");
                Assert.That(outcome.Error?.Message, constraint, $"{path}: {outcome}");
            }
        });
    }

    /// <inheritdoc cref="AssertEveryPathRefusesAsync(byte[], IResolveConstraint)"/>
    public static Task AssertEveryPathRefusesAsync(string body, IResolveConstraint message) =>
        AssertEveryPathRefusesAsync(System.Text.Encoding.UTF8.GetBytes(body), message);

    public static async Task<Outcome> RunAsync(byte[] body, BodyPath path, string? sentToken = null)
    {
        using var content = Content(body, path);
        try
        {
            var response = await SyncSummaryParser.ParseAsync(content, sentToken, CancellationToken.None).AsTask().WaitAsync(HangLimit);
            return new Outcome(OutcomeKind.Parsed, response, null, null);
        }
        catch (LeafApiException ex)
        {
            return new Outcome(OutcomeKind.Rejected, null, ex, null);
        }
        catch (TimeoutException)
        {
            return new Outcome(OutcomeKind.Escaped, null, null, "hung");
        }
#pragma warning disable CA1031 // Every other exception type is the finding this helper reports.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new Outcome(OutcomeKind.Escaped, null, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static HttpContent Content(byte[] body, BodyPath path) => path switch
    {
        BodyPath.Whole when body.Length > SyncSummaryParser.SmallBodyLimit => throw new ArgumentException("too large to be read whole", nameof(body)),
        BodyPath.Whole => new ByteArrayContent(body),
        BodyPath.Streamed => new StreamContent(new Unsized(body, trickle: false)),
        BodyPath.Trickled => new StreamContent(new Unsized(body, trickle: true)),
        _ => new ByteArrayContent([.. body, .. Enumerable.Repeat((byte)' ', SyncSummaryParser.SmallBodyLimit + 500)]),
    };

    // StreamContent cannot tell the length of a stream that cannot seek, as with a chunked body.
    private sealed class Unsized(byte[] body, bool trickle) : MemoryStream(body, writable: false)
    {
        private int _reads;

        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Limit(count));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Limit(buffer.Length)]);

        // No yield between reads: on a busy machine thousands of them per body cost seconds, and what trickling tests
        // (a byte-order mark, a token or a UTF-8 character split across reads) needs only the short reads.
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Limit(buffer.Length)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Limit(int count) => trickle ? Math.Min(count, 1 + (_reads++ % 3)) : count;
    }
}
