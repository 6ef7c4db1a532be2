using Leaf.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round16Lead;

/// <summary>
/// A client that started with an access token keeps the last token it read well when a reload leaves the token blank,
/// even when the reloaded options are valid otherwise (here they name a login instead): the kind of credentials is
/// fixed when the client is built, and a blank token is never sent.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ReloadBlankTokenTests
{
    [TestCase("")]
    [TestCase(" ")]
    [TestCase("\t")]
    public async Task A_reload_that_blanks_the_token_but_is_valid_keeps_the_token_that_worked(string blank)
    {
        using var server = FakeLeafServer.Start();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Leaf:BaseAddress"] = server.BaseAddress.ToString(),
                ["Leaf:AccessToken"] = server.AccessToken,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection("Leaf"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IIntegrationsClient>();
        await client.GetResourcesAsync();

        configuration["Leaf:AccessToken"] = blank;
        configuration["Leaf:Username"] = "someone@example.com";
        configuration["Leaf:Password"] = "a-password-7731";
        configuration.Reload();
        var response = await client.GetResourcesAsync(leafUserId: DemoUsers.Stale);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(5));
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 200 }));
        });
    }
}
