using System.Net;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round11Encoding;

/// <summary>
/// An answer still encoded after the client decoded what it could: a coding .NET does not decode (zstd, x-gzip), a
/// coding applied twice (.NET decodes only the last), or any coding through a primary handler that decompresses nothing.
/// The message names the coding and where to look, rather than "not JSON" over an excerpt of compressed bytes.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UndecodedCodingTests
{
    public static IEnumerable<TestCaseData> Undecoded()
    {
        var json = LeafJson.DocumentedExample;
        yield return new TestCaseData("zstd", Wire.Compress("br", json), "zstd").SetArgDisplayNames("zstd");
        yield return new TestCaseData("x-gzip", Wire.Compress("gzip", json), "x-gzip").SetArgDisplayNames("x-gzip");
        yield return new TestCaseData("gzip, gzip", Wire.Compress("gzip", Wire.Compress("gzip", json)), "gzip").SetArgDisplayNames("gzip twice");
        yield return new TestCaseData("compress, br", Wire.Compress("br", Wire.Compress("gzip", json)), "compress").SetArgDisplayNames("compress then br");
    }

    /// <summary>
    /// .NET decodes the last coding applied when it is gzip, deflate or br, and leaves the rest named in Content-Encoding.
    /// What is left was "Leaf answered with something that is not JSON", over an excerpt of compressed bytes.
    /// </summary>
    [TestCaseSource(nameof(Undecoded))]
    public async Task A_body_in_a_coding_the_client_does_not_decode_names_the_coding(string header, byte[] body, string named)
    {
        using var server = EncodingServer.Always(Wire.Answer("200 OK", body, $"Content-Encoding: {header}"));
        using var client = TestClient.Create(ClientKind.Standalone, Encoded.Options(server.Url, maxRetries: 2));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"Leaf's answer to the Sync Summary request (200 OK) is still encoded as \"{named}\" (Content-Encoding), which the SDK does not decode"));
            Assert.That(error.ResponseExcerpt, Is.Null, "compressed bytes say nothing to a reader");
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(error.InnerException, Is.InstanceOf<LeafApiException>());
            Assert.That(server.Resources, Is.EqualTo(1));
        });
    }

    /// <summary>
    /// The login the same: it was "Leaf's login answer (200 OK) was not valid JSON.", a LeafAuthenticationException that
    /// sends the reader to check the credentials.
    /// </summary>
    [Test]
    public async Task A_login_answer_in_a_coding_the_client_does_not_decode_names_the_coding([Values] ClientKind kind)
    {
        using var server = new EncodingServer((request, stream, stop) => Encoded.Send(
            stream, Wire.Answer("200 OK", Wire.Compress("br", Encoded.LoginBody(Encoded.Jwt)), "Content-Encoding: zstd"), stop));
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 2, login: true));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith("Leaf's answer to the login (200 OK) is still encoded as \"zstd\" (Content-Encoding), which the SDK does not decode"));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(server.Logins, Is.EqualTo(1));
            Assert.That(server.Resources, Is.Zero);
            Assert.That(error.ToString(), Does.Not.Contain(Encoded.Jwt).And.Not.Contain(AuthStub.Password));
        });
    }

    /// <summary>
    /// A handler of the user's that does not decompress, behind a proxy that compresses anyway: the message says where
    /// to look rather than "not JSON". The compressed body's Content-Length is the compressed size, under the
    /// small-body limit: the whole-body path.
    /// </summary>
    [Test]
    public async Task A_compressed_answer_through_a_primary_handler_that_does_not_decompress_names_the_coding([ValueSource(typeof(Wire), nameof(Wire.Codings))] string coding)
    {
        using var server = EncodingServer.Always(Wire.Compressed("200 OK", coding, LeafJson.DocumentedExample));
        using var client = TestClient.Create(ClientKind.DependencyInjection, Encoded.Options(server.Url), client: builder =>
            builder.ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler()));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.Message, Does.StartWith($"Leaf's answer to the Sync Summary request (200 OK) is still encoded as \"{coding}\"").And.Contain("AutomaticDecompression"));
    }
}
