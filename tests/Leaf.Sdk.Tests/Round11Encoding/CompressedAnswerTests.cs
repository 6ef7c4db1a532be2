using System.Net;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round11Encoding;

/// <summary>
/// Answers compressed with each coding the SDK asks for (gzip, deflate as zlib, br), on every path: a small body and one
/// that streams, a problem body, the login, a 401 and the renewal after it; through AddLeafSdk and standalone. Both
/// calls ask for compression (Accept-Encoding), as the primary handler the SDK builds decompresses.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class CompressedAnswerTests
{
    [Test]
    public async Task A_compressed_Sync_Summary_reads_as_the_plain_one(
        [Values] ClientKind kind, [ValueSource(typeof(Wire), nameof(Wire.Codings))] string coding, [Values] bool large)
    {
        var answer = Wire.Compressed("200 OK", coding, Encoded.Body(large));
        using var server = EncodingServer.Always(answer);
        using var client = TestClient.Create(kind, Encoded.Options(server.Url));

        var response = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(large ? 200 : 1));
            Assert.That(response.Summaries.All(s => s.Provider == Provider.JohnDeere && s.Fields == 100), Is.True);
            Assert.That(response.Message, Is.EqualTo("SUCCESS"));
            Assert.That(server.Requests.Single().Header("Accept-Encoding"), Is.EqualTo("gzip, deflate, br"));
        });
    }

    [Test]
    public async Task A_compressed_problem_body_is_read_for_the_message_and_the_excerpt(
        [Values] ClientKind kind, [ValueSource(typeof(Wire), nameof(Wire.Codings))] string coding, [Values(404, 503)] int status)
    {
        const string Problem = """{"title":"Trouble","status":0,"detail":"The user was not found","errorKey":"error.user"}""";
        var answer = Wire.Compressed($"{status} {(HttpStatusCode)status}", coding, Problem);
        using var server = EncodingServer.Always(answer);
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 1));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(error.Problem?.ErrorKey, Is.EqualTo("error.user"));
            Assert.That(error.Message, Does.Contain("The user was not found"));
            Assert.That(error.ResponseExcerpt, Does.StartWith("{\"title\":\"Trouble\""), "the excerpt is of the decompressed body");
            Assert.That(error.IsTransient, Is.EqualTo(status == 503));
            Assert.That(error.Attempts, Is.EqualTo(status == 503 ? 2 : 1), "a 503 is retried, a 404 is not, compressed or not");
        });
    }

    [Test]
    public async Task A_compressed_login_and_a_compressed_401_renew_the_token(
        [Values] ClientKind kind, [ValueSource(typeof(Wire), nameof(Wire.Codings))] string coding)
    {
        using var server = new EncodingServer((request, stream, stop) => Encoded.Send(stream, (request.Login, request.Number) switch
        {
            (true, 1) => Wire.Compressed("200 OK", coding, Encoded.LoginBody(Encoded.Jwt)),
            (true, _) => Wire.Compressed("200 OK", coding, Encoded.LoginBody(Encoded.RenewedJwt)),
            (false, 1) => Wire.Compressed("401 Unauthorized", coding, LeafJson.Unauthorized401),
            _ => Wire.Compressed("200 OK", coding, LeafJson.DocumentedExample),
        }, stop));
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, login: true));

        var response = await client.Client.GetResourcesAsync();

        var requests = server.Requests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
            Assert.That(server.Logins, Is.EqualTo(2), "the 401 renewed the token once");
            Assert.That(requests.Where(r => !r.Login).Select(r => r.Header("Authorization")), Is.EqualTo(new[] { $"Bearer {Encoded.Jwt}", $"Bearer {Encoded.RenewedJwt}" }));
            Assert.That(requests.Select(r => r.Header("Accept-Encoding")), Has.All.EqualTo("gzip, deflate, br"), "the login asks for compression as the Sync Summary call does");
        });
    }

    [Test]
    public async Task A_refused_login_with_a_compressed_problem_says_what_Leaf_said(
        [Values] ClientKind kind, [ValueSource(typeof(Wire), nameof(Wire.Codings))] string coding)
    {
        var refusal = AuthStub.Problem(401, "Unauthorized", "Bad credentials");
        using var server = new EncodingServer((request, stream, stop) => Encoded.Send(stream, Wire.Compressed("401 Unauthorized", coding, refusal), stop));
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, login: true));

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("Bad credentials").And.Not.Contain(AuthStub.Password));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(server.Logins, Is.EqualTo(1));
            Assert.That(server.Resources, Is.Zero);
        });
    }

    /// <summary>
    /// README's proxy example sets AutomaticDecompression on the handler it gives both clients. A handler of the user's
    /// without it decompresses nothing, and so asks for nothing compressed: the calls work, uncompressed.
    /// </summary>
    [Test]
    public async Task A_primary_handler_of_the_users_that_does_not_decompress_asks_for_no_compression()
    {
        using var server = new EncodingServer((request, stream, stop) => Encoded.Send(
            stream,
            request.Login ? Wire.Answer("200 OK", System.Text.Encoding.UTF8.GetBytes(Encoded.LoginBody(Encoded.Jwt))) : Wire.Answer("200 OK", System.Text.Encoding.UTF8.GetBytes(LeafJson.DocumentedExample)),
            stop));
        using var client = TestClient.Create(ClientKind.DependencyInjection, Encoded.Options(server.Url, login: true), client: builder =>
        {
            builder.ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler());
            builder.Services.AddHttpClient(LeafServiceCollectionExtensions.LoginHttpClientName).ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler());
        });

        var response = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
            Assert.That(server.Requests.Select(r => r.Header("Accept-Encoding")).ToList(), Has.Count.EqualTo(2).And.All.Null);
        });
    }
}
