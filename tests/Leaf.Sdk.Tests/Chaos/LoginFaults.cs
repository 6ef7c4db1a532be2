using System.Text;
using Leaf.Sdk.Tests.Authentication;

namespace Leaf.Sdk.Tests.Chaos;

/// <summary>One way the login (POST /api/authenticate) may be answered, valid or not.</summary>
internal enum LoginFault
{
    Ok,
    OkChunkedWithContentLength,
    ContinueThenOk,
    CloseMidHeader,
    ResetBeforeAnswer,
    BadStatusLine,
    ContentLengthLargerThanBody,
    MalformedChunkSize,
    ServiceUnavailable,
    ServiceUnavailableRetryAfter,
    InternalServerError,
    TooManyRequests,
    Unauthorized,
    BadRequest,
    NoToken,
    NotJson,
}

internal static class LoginFaults
{
    /// <summary>A token that outlives any case's fake clock, so only a 401 renews it.</summary>
    public static readonly string Token = AuthStub.Jwt(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static readonly string Body = $$"""{"id_token":"{{Token}}"}""";
    private const string Problem = """{"title":"Trouble","status":503,"detail":"Try again later"}""";

    /// <summary>Whether the login's own pipeline tries again after this answer (network errors and 5xx only).</summary>
    public static bool Retried(LoginFault fault) => fault is
        LoginFault.CloseMidHeader or LoginFault.ResetBeforeAnswer or LoginFault.BadStatusLine or LoginFault.ContentLengthLargerThanBody or
        LoginFault.MalformedChunkSize or LoginFault.ServiceUnavailable or LoginFault.ServiceUnavailableRetryAfter or LoginFault.InternalServerError;

    public static bool Succeeds(LoginFault fault) => fault is LoginFault.Ok or LoginFault.OkChunkedWithContentLength or LoginFault.ContinueThenOk;

    /// <summary>The status a failed login reports, null for a network error.</summary>
    public static int? StatusOf(LoginFault fault) => fault switch
    {
        LoginFault.ServiceUnavailable or LoginFault.ServiceUnavailableRetryAfter => 503,
        LoginFault.InternalServerError => 500,
        LoginFault.TooManyRequests => 429,
        LoginFault.Unauthorized => 401,
        LoginFault.BadRequest => 400,
        LoginFault.NoToken or LoginFault.NotJson => 200,
        _ => null,
    };

    /// <summary>A refusal or an answer with no usable token: an authentication failure, not transient.</summary>
    public static bool IsAuthenticationFailure(LoginFault fault) => fault is LoginFault.Unauthorized or LoginFault.BadRequest or LoginFault.NoToken or LoginFault.NotJson;

    public static bool HasRetryAfter(LoginFault fault) => fault == LoginFault.ServiceUnavailableRetryAfter;

    public static ChaosReply Reply(LoginFault fault, bool keepAlive)
    {
        var end = keepAlive ? ReplyEnd.KeepAlive : ReplyEnd.Close;
        return fault switch
        {
            LoginFault.Ok => Answer("200 OK", Body, end),
            // Like every answer here, it says "Connection: close" when the server closes after it: a later login taking the
            // connection from the pool before the close arrives fails unseen by the server (.NET never resends a POST).
            LoginFault.OkChunkedWithContentLength => new ChaosReply(Encoding.UTF8.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n{(end == ReplyEnd.Close ? "Connection: close\r\n" : string.Empty)}\r\n{Encoding.UTF8.GetByteCount(Body):x}\r\n{Body}\r\n0\r\n\r\n"), end),
            LoginFault.ContinueThenOk => new ChaosReply([.. "HTTP/1.1 100 Continue\r\n\r\n"u8, .. Answer("200 OK", Body, end).Bytes], end),
            LoginFault.CloseMidHeader => new ChaosReply("HTTP/1.1 200 OK\r\nContent-Ty"u8.ToArray(), ReplyEnd.Close),
            LoginFault.ResetBeforeAnswer => new ChaosReply([], ReplyEnd.Reset),
            LoginFault.BadStatusLine => new ChaosReply(Encoding.UTF8.GetBytes($"HTTP/1.1 OK\r\nContent-Length: {Encoding.UTF8.GetByteCount(Body)}\r\n\r\n{Body}"), ReplyEnd.Close),
            LoginFault.ContentLengthLargerThanBody => new ChaosReply(Encoding.UTF8.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(Body) + 50}\r\n\r\n{Body}"), ReplyEnd.Close),
            LoginFault.MalformedChunkSize => new ChaosReply("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"id_\r\nq\r\n"u8.ToArray(), ReplyEnd.Close),
            LoginFault.ServiceUnavailable => Answer("503 Service Unavailable", Problem, end),
            LoginFault.ServiceUnavailableRetryAfter => Answer("503 Service Unavailable", Problem, end, "Retry-After: 1\r\n"),
            LoginFault.InternalServerError => Answer("500 Internal Server Error", Problem, end),
            LoginFault.TooManyRequests => Answer("429 Too Many Requests", Problem, end),
            LoginFault.Unauthorized => Answer("401 Unauthorized", """{"title":"Unauthorized","status":401,"detail":"Bad credentials"}""", end),
            LoginFault.BadRequest => Answer("400 Bad Request", """{"title":"Bad Request","status":400}""", end),
            LoginFault.NoToken => Answer("200 OK", "{}", end),
            LoginFault.NotJson => Answer("200 OK", "<html>login</html>", end),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
        };
    }

    private static ChaosReply Answer(string status, string body, ReplyEnd end, string extra = "") =>
        new(Encoding.UTF8.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{(end == ReplyEnd.Close ? "Connection: close\r\n" : string.Empty)}\r\n{body}"), end);
}
