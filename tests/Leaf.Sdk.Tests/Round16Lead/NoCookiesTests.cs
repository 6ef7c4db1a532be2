using Leaf.Sdk.Tests.Core;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round16Lead;

/// <summary>
/// The SDK keeps no cookies: a cookie Leaf (or a load balancer in front of it) sets is not sent back on later calls,
/// so calls stay independent of each other and no session state travels with the bearer token.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class NoCookiesTests
{
    [Test]
    public async Task A_cookie_Leaf_sets_is_not_sent_back([Values] ClientKind kind)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create()
                .WithStatusCode(200)
                .WithHeader("Content-Type", "application/json")
                .WithHeader("Set-Cookie", "AWSALB=sticky-7731; Path=/")
                .WithBody(LeafJson.DocumentedExample));
        using var client = TestClient.Create(kind, Stub.Options(server));

        await client.Client.GetResourcesAsync();
        await client.Client.GetResourcesAsync();

        var requests = server.Requests();
        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Count.EqualTo(2));
            Assert.That(requests.Select(r => r.Headers?.ContainsKey("Cookie") ?? false), Is.All.False, "no request carries a Cookie header");
        });
    }
}
