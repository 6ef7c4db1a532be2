using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round11Hosting;

/// <summary>
/// A reload that changes how the app authenticates, not only the token: the client goes on as it started (the README,
/// "Authentication"), never with two ways at once: one that logged in keeps logging in with the credentials it started
/// with and never sends the token the reload added; one that started with a token keeps it when the reload takes it away
/// for credentials, and never logs in.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class AuthModeReloadTests
{
    [Test]
    public async Task A_client_that_logs_in_keeps_logging_in_when_a_reload_swaps_the_credentials_for_a_token()
    {
        using var server = Stub.Start();
        var loginToken = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2));
        server.LoginIssues(loginToken);
        server.Resources(LeafJson.DocumentedExample);
        var configuration = Configuration(server, ("Leaf:Username", AuthStub.Username), ("Leaf:Password", AuthStub.Password));
        await using var provider = Provider(configuration);
        var client = provider.GetRequiredService<IIntegrationsClient>();
        await client.GetResourcesAsync();

        configuration["Leaf:Username"] = null;
        configuration["Leaf:Password"] = null;
        configuration["Leaf:AccessToken"] = "token-from-the-reload";
        configuration.Reload();
        await client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(server.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer " + loginToken, "Bearer " + loginToken }));
            Assert.That(server.LoginRequests(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_client_that_started_with_a_token_keeps_it_when_a_reload_swaps_it_for_credentials()
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2)));
        server.Resources(LeafJson.DocumentedExample);
        var configuration = Configuration(server, ("Leaf:AccessToken", "token-at-start"));
        await using var provider = Provider(configuration);
        var client = provider.GetRequiredService<IIntegrationsClient>();
        await client.GetResourcesAsync();

        configuration["Leaf:AccessToken"] = null;
        configuration["Leaf:Username"] = AuthStub.Username;
        configuration["Leaf:Password"] = AuthStub.Password;
        configuration.Reload();
        await client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(server.ResourceAuthorizations(), Is.EqualTo(new[] { "Bearer token-at-start", "Bearer token-at-start" }));
            Assert.That(server.LoginRequests(), Is.Zero);
        });
    }

    private static IConfigurationRoot Configuration(WireMock.Server.WireMockServer server, params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            {
                ["Leaf:BaseAddress"] = server.Url,
                ["Leaf:MaxRetries"] = "0",
            })
            .Build();

    private static ServiceProvider Provider(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection("Leaf"));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
