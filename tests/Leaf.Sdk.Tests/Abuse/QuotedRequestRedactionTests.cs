using System.Text.Json;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace Leaf.Sdk.Tests.Abuse;

/// <summary>
/// A login error whose JSON problem quotes the request body the SDK sent (as an older Jackson "JSON parse error" detail
/// does): the password is in it JSON-escaped twice, once by the SDK's request and once by the problem's string. A
/// password with characters JSON escapes (+ &amp; &lt; &gt; " or any non-ASCII) must not show through either.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class QuotedRequestRedactionTests
{
    // Escapes as Jackson does: a quote as \" and a backslash as \\, nothing else that is printable.
    private static readonly JsonSerializerOptions QuotingServer = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Test]
    public async Task A_login_error_quoting_the_request_body_shows_no_piece_of_the_password(
        [Values(ClientKind.Standalone, ClientKind.DependencyInjection)] ClientKind kind,
        [Values(400, 500)] int status,
        [Values("Tr4ctor+Fi&ld<2026>", "Gr\u00FCnland-\"Ernte\"-2026", "Plain-Harvest-7731")] string password)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(request => new ResponseMessage
            {
                StatusCode = status,
                Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/problem+json") },
                BodyData = new BodyData
                {
                    BodyAsString = JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["title"] = "Bad Request",
                        ["status"] = status,
                        ["detail"] = "JSON parse error: [Source: (String)\"" + request.Body + "\"; line: 1, column: 1]",
                    }, QuotingServer),
                    DetectedBodyType = BodyType.String,
                },
            }));
        var options = AuthStub.LoginOptions(server);
        options.Password = password;
        using var client = TestClient.Create(kind, options);

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.ResponseExcerpt, Does.Contain("JSON parse error").And.Contain("[redacted]"), "the body quoted the request");
        Assert.Multiple(() =>
        {
            Assert.That(SecretPieces.FoundIn(error.ResponseExcerpt, password), Is.Empty, "ResponseExcerpt: " + error.ResponseExcerpt);
            Assert.That(SecretPieces.FoundIn(error.Message, password), Is.Empty, "Message: " + error.Message);
            Assert.That(SecretPieces.FoundIn(error.ToString(), password), Is.Empty, "ToString()");
            Assert.That(SecretPieces.FoundIn(error.Problem?.ToString(), password), Is.Empty, "Problem: " + error.Problem);
        });
    }
}
