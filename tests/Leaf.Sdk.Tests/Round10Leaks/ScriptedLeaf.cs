using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round10Leaks;

/// <summary>One way a Sync Summary attempt (or a login) fails, as the transport below the SDK hands it up.</summary>
public enum Failure
{
    Ok,
    RequestTimeout408,
    TooManyRequests429,
    InternalServerError500,
    BadGateway502,
    ServiceUnavailable503,
    GatewayTimeout504,
    NotFound404,
    Unauthorized401,
    MalformedJson,
    HtmlBody,
    EmptyBody,
    LargeBodyBreaksOff,
    LargeErrorBodyBreaksOff,
    ConnectionReset,
    EmptyReply,

    /// <summary>Nothing comes back until the attempt is cancelled (its time-out, or the caller).</summary>
    Hang,

    /// <summary>The status line and the first bytes of a large body come, the rest never does.</summary>
    BodyHangs,
}

/// <summary>
/// Leaf answered in memory, as each test scripts it, counting every answer it hands up and every answer whose body was
/// disposed since: a test can tell that the SDK let go of each one however the call ended. No socket, so thousands of
/// calls take a second.
/// </summary>
internal sealed class ScriptedLeaf : HttpMessageHandler
{
    private const string Problem = """{"type":"about:blank","title":"Trouble","status":503,"detail":"Simulated failure"}""";
    private static readonly byte[] Summary = Encoding.UTF8.GetBytes(LeafJson.DocumentedExample);
    private static readonly byte[] LargePrefix = Encoding.UTF8.GetBytes(
        "{\"message\":\"SUCCESS\",\"summaries\":[" + string.Join(",", Enumerable.Repeat(LeafJson.DocumentedExample[(LeafJson.DocumentedExample.IndexOf("{\"provider\"", StringComparison.Ordinal))..^2], 120)) + ",");

    private readonly byte[] _loginBody;
    private int _created;
    private int _disposed;
    private int _logins;
    private int _resources;
    private int _inFlight;
    private int _hangs;

    public ScriptedLeaf(string loginToken)
    {
        LoginToken = loginToken;
        _loginBody = Encoding.UTF8.GetBytes($$"""{"id_token":"{{loginToken}}"}""");
    }

    public string LoginToken { get; }

    /// <summary>How the n-th Sync Summary attempt (from 1) is answered.</summary>
    public Func<int, Failure> Resources { get; set; } = static _ => Failure.Ok;

    /// <summary>How the n-th login attempt (from 1) is answered.</summary>
    public Func<int, Failure> Logins { get; set; } = static _ => Failure.Ok;

    /// <summary>Answers handed up whose body has not been disposed since.</summary>
    public int Undisposed => Volatile.Read(ref _created) - Volatile.Read(ref _disposed);

    public int Created => Volatile.Read(ref _created);

    public int LoginRequests => Volatile.Read(ref _logins);

    public int ResourceRequests => Volatile.Read(ref _resources);

    /// <summary>Requests still inside this handler (hanging, or their body still being read).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Hangs begun so far (of the answer, or of its body): a test moves the clock once per hang.</summary>
    public int Hangs => Volatile.Read(ref _hangs);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var login = request.RequestUri!.AbsolutePath.EndsWith("/api/authenticate", StringComparison.Ordinal);
        var failure = login ? Logins(Interlocked.Increment(ref _logins)) : Resources(Interlocked.Increment(ref _resources));
        switch (failure)
        {
            case Failure.ConnectionReset:
                throw new HttpRequestException("An error occurred while sending the request.", new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset)));
            case Failure.EmptyReply:
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
            case Failure.Hang:
                Interlocked.Increment(ref _inFlight);
                Interlocked.Increment(ref _hangs);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }

                throw new UnreachableException();
        }

        var (status, content) = Answer(failure, login);
        Interlocked.Increment(ref _created);
        return new HttpResponseMessage(status) { Content = new CountedContent(content, () => Interlocked.Increment(ref _disposed)), RequestMessage = request };
    }

    private (HttpStatusCode, HttpContent) Answer(Failure failure, bool login) => failure switch
    {
        Failure.Ok => (HttpStatusCode.OK, Json(login ? _loginBody : Summary)),
        Failure.RequestTimeout408 => (HttpStatusCode.RequestTimeout, Json(Problem)),
        Failure.TooManyRequests429 => (HttpStatusCode.TooManyRequests, Json(Problem)),
        Failure.InternalServerError500 => (HttpStatusCode.InternalServerError, Json(Problem)),
        Failure.BadGateway502 => (HttpStatusCode.BadGateway, Text("<html><body>Bad gateway</body></html>", "text/html")),
        Failure.ServiceUnavailable503 => (HttpStatusCode.ServiceUnavailable, Json(Problem)),
        Failure.GatewayTimeout504 => (HttpStatusCode.GatewayTimeout, Json(Problem)),
        Failure.NotFound404 => (HttpStatusCode.NotFound, Json(Problem)),
        Failure.Unauthorized401 => (HttpStatusCode.Unauthorized, Json(LeafJson.Unauthorized401)),
        Failure.MalformedJson => (HttpStatusCode.OK, Json("""{"message":"SUCCESS","summaries":[{"provider":"JohnDeere","growers":"""u8.ToArray())),
        Failure.HtmlBody => (HttpStatusCode.OK, Text("<!DOCTYPE html><html><body>Gateway says hello</body></html>", "text/html")),
        Failure.EmptyBody => (HttpStatusCode.OK, Json([])),
        Failure.LargeBodyBreaksOff => (HttpStatusCode.OK, Breaking(LargePrefix, LargePrefix.Length * 2, hangs: false)),
        Failure.LargeErrorBodyBreaksOff => (HttpStatusCode.ServiceUnavailable, Breaking(LargePrefix, LargePrefix.Length * 2, hangs: false)),
        Failure.BodyHangs => (HttpStatusCode.OK, Breaking(LargePrefix, LargePrefix.Length * 2, hangs: true)),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    private static ByteArrayContent Json(string body) => Json(Encoding.UTF8.GetBytes(body));

    private static ByteArrayContent Json(byte[] body) => Text(body, "application/json");

    private static ByteArrayContent Text(string body, string mediaType) => Text(Encoding.UTF8.GetBytes(body), mediaType);

    private static ByteArrayContent Text(byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(mediaType);
        return content;
    }

    private StreamContent Breaking(byte[] prefix, long announced, bool hangs)
    {
        var content = new StreamContent(new BreakingStream(prefix, hangs, this));
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentLength = announced;
        return content;
    }

    /// <summary>Hands out <c>prefix</c>, then breaks off as a reset connection does, or waits until the read is cancelled.</summary>
    private sealed class BreakingStream(byte[] prefix, bool hangs, ScriptedLeaf leaf) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < prefix.Length)
            {
                var count = Math.Min(buffer.Length, Math.Min(4096, prefix.Length - _position));
                prefix.AsMemory(_position, count).CopyTo(buffer);
                _position += count;
                return count;
            }

            if (!hangs)
            {
                throw new IOException("The response ended prematurely.", new SocketException((int)SocketError.ConnectionReset));
            }

            Interlocked.Increment(ref leaf._inFlight);
            Interlocked.Increment(ref leaf._hangs);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref leaf._inFlight);
            }

            throw new UnreachableException();
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
