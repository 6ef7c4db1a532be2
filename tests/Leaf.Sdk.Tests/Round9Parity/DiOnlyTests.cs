using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round9Parity;

/// <summary>What a DI user can do that a standalone user cannot, checked against what the standalone client does.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class DiOnlyTests
{
    [Test]
    public async Task An_app_wide_HttpClient_time_out_cuts_neither_the_login_nor_the_call_short([Values] bool defaultsFirst)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(700)).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"id_token":"{{AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1))}}"}"""));
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(700)).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
        static void Defaults(IServiceCollection s) => s.ConfigureHttpClientDefaults(b => b.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromMilliseconds(300)));
        using var client = TestClient.Create(
            ClientKind.DependencyInjection,
            AuthStub.LoginOptions(server),
            services: defaultsFirst ? Defaults : null,
            client: defaultsFirst ? null : b => Defaults(b.Services));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1), "as with the standalone client, whose HttpClient has no time-out of its own");
    }

    [Test]
    public async Task An_app_wide_User_Agent_does_not_replace_the_SDK_s([Values] bool defaultsFirst)
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)));
        server.Resources(LeafJson.DocumentedExample);
        static void Defaults(IServiceCollection s) => s.ConfigureHttpClientDefaults(b => b.ConfigureHttpClient(c => c.DefaultRequestHeaders.UserAgent.ParseAdd("MyApp/2.0")));
        using var client = TestClient.Create(
            ClientKind.DependencyInjection,
            AuthStub.LoginOptions(server),
            services: defaultsFirst ? Defaults : null,
            client: defaultsFirst ? null : b => Defaults(b.Services));

        await client.Client.GetResourcesAsync();

        var agents = server.LogEntries.Select(e => string.Join(" ", e.RequestMessage!.Headers!["User-Agent"])).ToList();
        Assert.That(agents, Has.Count.EqualTo(2).And.All.Contain("Leaf.Sdk/"));
    }
}
