using Leaf.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.DependencyInjection;

[Parallelizable(ParallelScope.All)]
public sealed class TokenRotationTests
{
    [Test]
    public async Task A_token_rotated_in_reloaded_configuration_is_used_by_the_same_client()
    {
        using var server = FakeLeafServer.Start();
        var (configuration, provider) = ConfiguredFrom(server);
        await using var _ = provider;
        var client = provider.GetRequiredService<IIntegrationsClient>();
        await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);

        server.RevokeTokens();
        configuration["Leaf:AccessToken"] = server.IssueToken(TimeSpan.FromHours(1));
        configuration.Reload();
        var response = await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(4));
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 200 }));
        });
    }

    [Test]
    public async Task A_reload_that_breaks_the_options_keeps_the_token_that_worked()
    {
        using var server = FakeLeafServer.Start();
        var (configuration, provider) = ConfiguredFrom(server);
        await using var _ = provider;
        var client = provider.GetRequiredService<IIntegrationsClient>();
        await client.GetResourcesAsync();

        configuration["Leaf:AccessToken"] = " ";
        configuration["Leaf:MaxRetries"] = "not a number";

        // The options monitor rebuilds the options while the reload notifies; in an app that happens on the file
        // watcher's thread. Here it surfaces from Reload itself.
        Assert.That(() => configuration.Reload(), Throws.InstanceOf<AggregateException>());
        var response = await client.GetResourcesAsync(leafUserId: DemoUsers.Stale);

        Assert.That(response.Summaries, Has.Count.EqualTo(5));
    }

    // Before, a broken reload fell back to the token the app started with, which a rotation may have revoked long since.
    [Test]
    public async Task A_reload_that_breaks_the_options_after_a_rotation_keeps_the_rotated_token()
    {
        using var server = FakeLeafServer.Start();
        var (configuration, provider) = ConfiguredFrom(server);
        await using var _ = provider;
        var client = provider.GetRequiredService<IIntegrationsClient>();
        await client.GetResourcesAsync();

        server.RevokeTokens();
        var rotated = server.IssueToken(TimeSpan.FromHours(1));
        configuration["Leaf:AccessToken"] = rotated;
        configuration.Reload();
        await client.GetResourcesAsync();

        configuration["Leaf:MaxRetries"] = "not a number";
        Assert.That(() => configuration.Reload(), Throws.InstanceOf<AggregateException>());
        var response = await client.GetResourcesAsync(leafUserId: DemoUsers.Stale);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(5));
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 200, 200 }));
        });
    }

    // The kind of credentials is fixed when the client is built: a reload that is valid but names a login instead, with
    // the token left blank, must not make the client send a blank token.
    [TestCase("")]
    [TestCase(" ")]
    [TestCase("\t")]
    public async Task A_reload_that_blanks_the_token_but_is_valid_keeps_the_token_that_worked(string blank)
    {
        using var server = FakeLeafServer.Start();
        var (configuration, provider) = ConfiguredFrom(server);
        await using var _ = provider;
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

    private static (IConfigurationRoot Configuration, ServiceProvider Provider) ConfiguredFrom(FakeLeafServer server)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Leaf:BaseAddress"] = server.BaseAddress.ToString(),
                ["Leaf:AccessToken"] = server.AccessToken,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection("Leaf"));
        return (configuration, services.BuildServiceProvider());
    }
}
