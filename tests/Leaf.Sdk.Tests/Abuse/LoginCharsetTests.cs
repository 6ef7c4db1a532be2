using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Core;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Abuse;

/// <summary>
/// A login answer is JSON, which is UTF-8 between systems (RFC 8259), read as such whatever charset its Content-Type
/// names, as the Sync Summary is: a misspelt charset ("utf8") failed every login with "The Sync Summary request failed
/// unexpectedly: InvalidOperationException.", while the Sync Summary with the same header was read fine.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginCharsetTests
{
    [Test]
    public async Task A_login_answer_with_a_charset_dotnet_does_not_know_is_read_as_UTF8(
        [Values(ClientKind.Standalone, ClientKind.DependencyInjection)] ClientKind kind,
        [Values("application/json; charset=utf8", "application/json;charset=UTF8", "application/json; charset=unicode-1-1-utf-8x")] string contentType)
    {
        using var server = Stub.Start();
        var token = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1), salt: "charset");
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithBody($$"""{"id_token":"{{token}}"}"""));
        server.Resources(LeafJson.DocumentedExample, contentType: contentType);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
        var sent = server.Requests().Single(r => r.Path == Stub.ResourcesPath);
        Assert.That(sent.Header("Authorization"), Is.EqualTo(new[] { "Bearer " + token }));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_login_answer_with_a_byte_order_mark_is_still_read(ClientKind kind)
    {
        using var server = Stub.Start();
        var token = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1), salt: "bom");
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes($$"""{"id_token":"{{token}}"}""")).ToArray();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
    }
}
