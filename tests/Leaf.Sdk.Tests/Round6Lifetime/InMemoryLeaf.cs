using System.Net;
using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>Leaf answered in memory, no socket: the login hands out <see cref="Token"/>, the Sync Summary Leaf's example.</summary>
internal sealed class InMemoryLeaf : HttpMessageHandler
{
    private static readonly byte[] Summary = Encoding.UTF8.GetBytes(LeafJson.DocumentedExample);
    private int _logins;
    private int _calls;

    public InMemoryLeaf(DateTimeOffset tokenExpires)
    {
        Token = AuthStub.Jwt(tokenExpires);
        LoginBody = Encoding.UTF8.GetBytes($$"""{"id_token":"{{Token}}"}""");
    }

    public string Token { get; }

    /// <summary>Answers any bearer token, not only <see cref="Token"/>.</summary>
    public bool AcceptsAnyToken { get; init; }

    public int Logins => Volatile.Read(ref _logins);

    public int Calls => Volatile.Read(ref _calls);

    private byte[] LoginBody { get; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var login = request.RequestUri!.AbsolutePath == AuthStub.LoginPath;
        Interlocked.Increment(ref login ? ref _logins : ref _calls);
        var authorized = login || AcceptsAnyToken || request.Headers.Authorization?.Parameter == Token;
        var content = new ByteArrayContent(login ? LoginBody : Summary);
        content.Headers.ContentType = new("application/json");
        return Task.FromResult(new HttpResponseMessage(authorized ? HttpStatusCode.OK : HttpStatusCode.Unauthorized)
        {
            Content = content,
            RequestMessage = request,
        });
    }
}
