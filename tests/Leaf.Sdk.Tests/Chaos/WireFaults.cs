using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Chaos;

/// <summary>One way a server (or a proxy in front of it) may answer a request, valid or not.</summary>
internal enum WireFault
{
    Ok,
    Http10WithoutLength,
    ContinueThenOk,
    ContentLengthWithChunked,
    BadStatusLine,
    HeaderWithoutColon,
    HugeHeader,
    ContentLengthLargerThanBody,
    ContentLengthSmallerThanBody,
    MalformedChunkSize,
    MissingFinalChunk,
    CloseMidHeader,
    CloseMidBody,
    ResetBeforeAnswer,
    ResetMidBody,
    InformationalOnly,
    ServiceUnavailable,
    ServiceUnavailableRetryAfter,
    TooManyRequests,
    TooManyRequestsRetryAfter,
    Unauthorized,
    StalledBody,
    StalledErrorBody,
    StalledBeforeAnswer,
    InternalServerError,
    BadGateway,
    GatewayTimeout,
    NotFound,
    NoContent,
    EmptyBody,
    GzipOk,
    GzipBreaksOff,
    GzipCorrupt,
    ChunkedErrorBodyBreaksOff,
    RetryAfterBeyondBudget,
    RetryAfterPastDate,
    ConflictingContentLengths,
    LargeOk,
    LargeChunkedOk,
    LargeBreaksOff,
    LargeContentLengthSmallerThanBody,
    LargeStalled,
    LargeGzipBreaksOff,
    NoReasonPhrase,
    EarlyHintsThenOk,
    NotModified,
    UnknownServerStatus,
    ContentLengthNotANumber,
    SwitchingProtocols,
}

/// <summary>What the client must make of a fault, on its own.</summary>
internal enum Verdict
{
    /// <summary>A Sync Summary: the documented example.</summary>
    Success,

    /// <summary>No status: a network error, retried.</summary>
    Network,

    /// <summary>No status: the attempt timed out, retried.</summary>
    AttemptTimeout,

    /// <summary>A transient status (429, 503), retried.</summary>
    TransientStatus,

    /// <summary>A 200 whose body is no Sync Summary: reported at once.</summary>
    BadBody,

    /// <summary>401 with a static token: reported at once as an authentication failure.</summary>
    Unauthorized,

    /// <summary>A status that is not worth another attempt (404): reported at once.</summary>
    PermanentStatus,

    /// <summary>A transient status whose Retry-After asks for more than the call has left: reported at once.</summary>
    TransientStatusNotRetried,
}

internal static class WireFaults
{
    private static readonly string Body = LeafJson.DocumentedExample;
    private static readonly int BodyLength = Encoding.UTF8.GetByteCount(Body);
    private const string Problem = """{"type":"about:blank","title":"Service trouble","status":503,"detail":"Try again later"}""";

    public static Verdict VerdictOf(WireFault fault) => fault switch
    {
        WireFault.Ok or WireFault.Http10WithoutLength or WireFault.ContinueThenOk or WireFault.ContentLengthWithChunked or WireFault.GzipOk or
            // A Content-Length .NET cannot read (two values, not a number) is no length at all: the body runs to the close.
            WireFault.ConflictingContentLengths or WireFault.LargeOk or WireFault.LargeChunkedOk or WireFault.NoReasonPhrase or WireFault.EarlyHintsThenOk or
            WireFault.ContentLengthNotANumber => Verdict.Success,

        // .NET treats an unasked-for 101 as the final answer, as it would an upgrade: the SDK reports it as the status it is.
        WireFault.NotModified or WireFault.UnknownServerStatus or WireFault.SwitchingProtocols => Verdict.PermanentStatus,
        WireFault.LargeContentLengthSmallerThanBody => Verdict.BadBody,
        WireFault.LargeStalled => Verdict.AttemptTimeout,
        WireFault.ContentLengthSmallerThanBody or WireFault.NoContent or WireFault.EmptyBody or WireFault.GzipCorrupt => Verdict.BadBody,
        WireFault.ServiceUnavailable or WireFault.ServiceUnavailableRetryAfter or WireFault.TooManyRequests or WireFault.TooManyRequestsRetryAfter or WireFault.StalledErrorBody or
            WireFault.InternalServerError or WireFault.BadGateway or WireFault.GatewayTimeout or WireFault.ChunkedErrorBodyBreaksOff or WireFault.RetryAfterPastDate => Verdict.TransientStatus,
        WireFault.RetryAfterBeyondBudget => Verdict.TransientStatusNotRetried,
        WireFault.NotFound => Verdict.PermanentStatus,
        WireFault.Unauthorized => Verdict.Unauthorized,
        WireFault.StalledBody or WireFault.StalledBeforeAnswer => Verdict.AttemptTimeout,
        _ => Verdict.Network,
    };

    public static int? StatusOf(WireFault fault) => fault switch
    {
        WireFault.ServiceUnavailable or WireFault.ServiceUnavailableRetryAfter or WireFault.StalledErrorBody or WireFault.ChunkedErrorBodyBreaksOff or
            WireFault.RetryAfterBeyondBudget or WireFault.RetryAfterPastDate => 503,
        WireFault.TooManyRequests or WireFault.TooManyRequestsRetryAfter => 429,
        WireFault.Unauthorized => 401,
        WireFault.ContentLengthSmallerThanBody or WireFault.EmptyBody or WireFault.GzipCorrupt or WireFault.LargeContentLengthSmallerThanBody => 200,
        WireFault.NoContent => 204,
        WireFault.NotModified => 304,
        WireFault.SwitchingProtocols => 101,
        WireFault.UnknownServerStatus => 599,
        WireFault.NotFound => 404,
        WireFault.InternalServerError => 500,
        WireFault.BadGateway => 502,
        WireFault.GatewayTimeout => 504,
        _ => null,
    };

    /// <param name="fault">The fault.</param>
    /// <param name="keepAlive">
    /// Whether an answer whose framing allows it keeps its connection open for the next request, instead of closing it.
    /// </param>
    public static ChaosReply Reply(WireFault fault, bool keepAlive = false)
    {
        var reply = Reply(fault);
        if (!keepAlive || !KeepsAlive(fault))
        {
            return reply;
        }

        var close = "Connection: close\r\n"u8;
        var at = reply.Bytes.AsSpan().IndexOf(close);
        return new ChaosReply(at < 0 ? reply.Bytes : [.. reply.Bytes.AsSpan(0, at), .. reply.Bytes.AsSpan(at + close.Length)], ReplyEnd.KeepAlive);
    }

    private static bool KeepsAlive(WireFault fault) => fault is
        WireFault.Ok or WireFault.ContinueThenOk or WireFault.ContentLengthWithChunked or WireFault.ContentLengthSmallerThanBody or
        WireFault.ServiceUnavailable or WireFault.ServiceUnavailableRetryAfter or WireFault.TooManyRequests or WireFault.TooManyRequestsRetryAfter or
        WireFault.Unauthorized or WireFault.InternalServerError or WireFault.BadGateway or WireFault.GatewayTimeout or WireFault.NotFound or
        WireFault.NoContent or WireFault.EmptyBody or WireFault.GzipOk or WireFault.RetryAfterBeyondBudget or WireFault.RetryAfterPastDate or
        WireFault.LargeOk or WireFault.LargeChunkedOk or WireFault.LargeContentLengthSmallerThanBody;

    /// <summary>How many summaries a successful answer holds.</summary>
    public static int SummariesOf(WireFault fault) => fault is WireFault.LargeOk or WireFault.LargeChunkedOk ? LargeCount : 1;

    private const int LargeCount = 200;

    // Over the small-body limit (16 KB), so it streams: a different reader from the documented example's.
    private static readonly string Large = MakeLarge();
    private static readonly byte[] LargeBytes = Encoding.UTF8.GetBytes(Large);
    private static readonly byte[] LargeGzipped = Gzip(LargeBytes);

    private static string MakeLarge()
    {
        var one = Body.Trim();
        one = one[one.IndexOf("{\"provider", StringComparison.Ordinal)..^2];
        return $"{{\"message\":\"SUCCESS\",\"summaries\":[{string.Join(',', Enumerable.Repeat(one, LargeCount))}]}}";
    }

    private static ChaosReply Reply(WireFault fault) => fault switch
    {
        WireFault.Ok => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyLength}\r\nConnection: close\r\n\r\n{Body}"),
        WireFault.Http10WithoutLength => Close($"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{Body}"),
        WireFault.ContinueThenOk => Close($"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyLength}\r\nConnection: close\r\n\r\n{Body}"),
        WireFault.ContentLengthWithChunked => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{BodyLength:x}\r\n{Body}\r\n0\r\n\r\n"),
        WireFault.BadStatusLine => Close($"HTTP/1.1 2x0 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyLength}\r\n\r\n{Body}"),
        WireFault.HeaderWithoutColon => Close($"HTTP/1.1 200 OK\r\nContent-Type application/json\r\nContent-Length: {BodyLength}\r\n\r\n{Body}"),
        WireFault.HugeHeader => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: {new string('a', 70 * 1024)}\r\nContent-Length: {BodyLength}\r\n\r\n{Body}"),
        WireFault.ContentLengthLargerThanBody => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyLength + 40}\r\n\r\n{Body}"),
        WireFault.ContentLengthSmallerThanBody => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyLength - 20}\r\nConnection: close\r\n\r\n{Body}"),
        WireFault.MalformedChunkSize => Close("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"message\":\"SUCC\r\nzz\r\n"),
        WireFault.MissingFinalChunk => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{BodyLength:x}\r\n{Body}\r\n"),
        WireFault.CloseMidHeader => Close("HTTP/1.1 200 OK\r\nContent-Type: applica"),
        WireFault.CloseMidBody => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyLength}\r\n\r\n{Body[..30]}"),
        WireFault.ResetBeforeAnswer => new ChaosReply([], ReplyEnd.Reset),
        WireFault.ResetMidBody => new ChaosReply(Encoding.UTF8.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyLength}\r\n\r\n{Body[..30]}"), ReplyEnd.Reset),
        WireFault.InformationalOnly => Close("HTTP/1.1 100 Continue\r\n\r\n"),
        WireFault.ServiceUnavailable => Status(503, "Service Unavailable", retryAfter: false),
        WireFault.ServiceUnavailableRetryAfter => Status(503, "Service Unavailable", retryAfter: true),
        WireFault.TooManyRequests => Status(429, "Too Many Requests", retryAfter: false),
        WireFault.TooManyRequestsRetryAfter => Status(429, "Too Many Requests", retryAfter: true),
        // "Connection: close", unlike the other statuses': a renewal login (a POST) follows on the same pool, and .NET does
        // not resend a request whose body went out on a connection the server then closes, so that login attempt would
        // fail unseen by the server, which would count one login fewer than the retry rule says.
        WireFault.Unauthorized => Close("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"),
        WireFault.StalledBody => new ChaosReply(Encoding.UTF8.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 300\r\n\r\n{\"message\":\"SUCC"), ReplyEnd.Stall),
        WireFault.StalledErrorBody => new ChaosReply(Encoding.UTF8.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"title\":"), ReplyEnd.Stall),
        WireFault.StalledBeforeAnswer => new ChaosReply([], ReplyEnd.Stall),
        WireFault.InternalServerError => Status(500, "Internal Server Error", retryAfter: false),
        WireFault.BadGateway => Close("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 24\r\n\r\n<html>Bad gateway</html>"),
        WireFault.GatewayTimeout => Status(504, "Gateway Timeout", retryAfter: false),
        WireFault.NotFound => Status(404, "Not Found", retryAfter: false),
        WireFault.NoContent => Close("HTTP/1.1 204 No Content\r\n\r\n"),
        WireFault.EmptyBody => Close("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n"),
        WireFault.GzipOk => new ChaosReply([.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {Gzipped.Length}\r\n\r\n"), .. Gzipped], ReplyEnd.Close),
        WireFault.GzipBreaksOff => new ChaosReply([.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {Gzipped.Length}\r\n\r\n"), .. Gzipped.AsSpan(0, Gzipped.Length / 2)], ReplyEnd.Close),
        WireFault.GzipCorrupt => new ChaosReply([.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {Gzipped.Length}\r\nConnection: close\r\n\r\n"), .. Gzipped.AsSpan(0, 10), .. Enumerable.Repeat((byte)0xFF, Gzipped.Length - 10)], ReplyEnd.Close),
        WireFault.ChunkedErrorBodyBreaksOff => Close("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"title\":\"Service"),
        WireFault.RetryAfterBeyondBudget => Close($"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: 999999\r\nContent-Length: {Problem.Length}\r\n\r\n{Problem}"),
        WireFault.RetryAfterPastDate => Close($"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\nContent-Length: {Problem.Length}\r\n\r\n{Problem}"),
        WireFault.ConflictingContentLengths => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyLength}\r\nContent-Length: {BodyLength + 7}\r\n\r\n{Body}"),
        WireFault.LargeOk => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {LargeBytes.Length}\r\nConnection: close\r\n\r\n{Large}"),
        WireFault.LargeChunkedOk => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{LargeBytes.Length / 2:x}\r\n{Large[..(LargeBytes.Length / 2)]}\r\n{LargeBytes.Length - (LargeBytes.Length / 2):x}\r\n{Large[(LargeBytes.Length / 2)..]}\r\n0\r\n\r\n"),
        WireFault.LargeBreaksOff => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {LargeBytes.Length}\r\n\r\n{Large[..(LargeBytes.Length * 2 / 3)]}"),
        WireFault.LargeContentLengthSmallerThanBody => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {LargeBytes.Length - 100}\r\nConnection: close\r\n\r\n{Large}"),
        WireFault.LargeStalled => new ChaosReply(Encoding.UTF8.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {LargeBytes.Length}\r\n\r\n{Large[..(LargeBytes.Length / 2)]}"), ReplyEnd.Stall),
        WireFault.LargeGzipBreaksOff => new ChaosReply([.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {LargeGzipped.Length}\r\n\r\n"), .. LargeGzipped.AsSpan(0, LargeGzipped.Length / 2)], ReplyEnd.Close),
        WireFault.NoReasonPhrase => Close($"HTTP/1.1 200\r\nContent-Type: application/json\r\nContent-Length: {BodyLength}\r\nConnection: close\r\n\r\n{Body}"),
        WireFault.EarlyHintsThenOk => Close($"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyLength}\r\nConnection: close\r\n\r\n{Body}"),
        WireFault.NotModified => Close("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n"),
        WireFault.UnknownServerStatus => Status(599, "Network Connect Timeout", retryAfter: false),
        WireFault.ContentLengthNotANumber => Close($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: lots\r\n\r\n{Body}"),
        WireFault.SwitchingProtocols => Close("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };

    private static readonly byte[] Gzipped = Gzip(Encoding.UTF8.GetBytes(Body));

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    // No "Connection: close": the client pools the connection, and the server's close after the reply is what it finds
    // when it picks that connection for the retry.
    private static ChaosReply Status(int status, string reason, bool retryAfter) =>
        Close($"HTTP/1.1 {status} {reason}\r\nContent-Type: application/problem+json\r\n{(retryAfter ? "Retry-After: 1\r\n" : string.Empty)}Content-Length: {Problem.Length}\r\n\r\n{Problem}");

    private static ChaosReply Close(string text) => new(Encoding.UTF8.GetBytes(text), ReplyEnd.Close);
}
