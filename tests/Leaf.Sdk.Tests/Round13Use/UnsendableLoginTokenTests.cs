using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round13Use;

/// <summary>
/// A login answer whose id_token could never travel in a header (a proxy or gateway that mangled it: a space, a line
/// break inside it) fails the call, as a token of the user's does, and is not cached: the next call logs in again
/// instead of failing the same way until the token's 30 days are over.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UnsendableLoginTokenTests
{
    [TestCase(ClientKind.Standalone, "mangled token")]
    [TestCase(ClientKind.DependencyInjection, "mangled\r\ntoken")]
    public async Task A_login_token_that_cannot_be_sent_is_not_cached(ClientKind kind, string mangled)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .InScenario("gateway fixed").WillSetStateTo("fixed")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new Dictionary<string, string> { ["id_token"] = mangled }));
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .InScenario("gateway fixed").WhenStateIs("fixed")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new Dictionary<string, string> { ["id_token"] = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)) }));
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server));

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());
        var response = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("at index 7").And.Not.Contain("mangled"));
            Assert.That(response.Summaries, Has.Count.EqualTo(1), "the next call logged in again");
            Assert.That(server.LoginRequests(), Is.EqualTo(2));
            Assert.That(server.LogEntries.Count(e => e.RequestMessage!.Path == Stub.ResourcesPath), Is.EqualTo(1), "the mangled token was never sent");
        });
    }
}
