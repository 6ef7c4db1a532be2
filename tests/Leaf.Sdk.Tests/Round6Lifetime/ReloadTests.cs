using System.Net;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>
/// What a reload of the "Leaf" section changes in a running app, as the README says: the access token on the next
/// attempt; every other setting only for a provider whose client was not resolved yet.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ReloadTests
{
    [Test]
    public async Task Retries_and_the_address_reloaded_after_the_first_client_was_resolved_change_nothing()
    {
        using var first = FakeLeafServer.Start();
        using var second = FakeLeafServer.Start();
        var (configuration, provider) = ConfiguredFrom(first, maxRetries: 0);
        await using var _ = provider;
        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        configuration["Leaf:BaseAddress"] = second.BaseAddress.ToString();
        configuration["Leaf:MaxRetries"] = "3";
        configuration.Reload();
        first.FailNext(1, HttpStatusCode.ServiceUnavailable);
        var error = await Assert.ThrowsAsync<LeafApiException>(() => provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Attempts, Is.EqualTo(1), "MaxRetries stays 0");
            Assert.That(second.Requests, Is.Empty, "the address stays the first one");
        });
    }

    [Test]
    public async Task Settings_reloaded_before_the_first_client_is_resolved_apply()
    {
        using var first = FakeLeafServer.Start();
        using var second = FakeLeafServer.Start();
        var (configuration, provider) = ConfiguredFrom(first, maxRetries: 0);
        await using var _ = provider;

        configuration["Leaf:BaseAddress"] = second.BaseAddress.ToString();
        configuration["Leaf:AccessToken"] = second.AccessToken;
        configuration.Reload();
        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.Requests, Is.Empty);
            Assert.That(second.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Registering_from_configuration_twice_binds_both_and_keeps_one_client()
    {
        using var server = FakeLeafServer.Start();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Leaf:BaseAddress"] = server.BaseAddress.ToString(),
                ["Leaf:AccessToken"] = server.AccessToken,
                ["Other:MaxRetries"] = "1",
                ["Other:RetryBaseDelay"] = "00:00:00.001",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection("Leaf"));
        services.AddLeafSdk(configuration.GetSection("Other"));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        server.FailNext(10, HttpStatusCode.BadGateway);

        var error = await Assert.ThrowsAsync<LeafApiException>(() => provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Attempts, Is.EqualTo(2), "the second section's MaxRetries over the first's address and token");
            Assert.That(server.Requests, Has.Count.EqualTo(2));
        });
    }

    private static (IConfigurationRoot Configuration, ServiceProvider Provider) ConfiguredFrom(FakeLeafServer server, int maxRetries)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Leaf:BaseAddress"] = server.BaseAddress.ToString(),
                ["Leaf:AccessToken"] = server.AccessToken,
                ["Leaf:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Leaf:RetryBaseDelay"] = "00:00:00.001",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection("Leaf"));
        return (configuration, services.BuildServiceProvider());
    }
}
