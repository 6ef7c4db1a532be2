using Leaf.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round13Use;

/// <summary>
/// Leaf's documentation shows the Sync Summary as a whole URL, and a user pastes it as BaseAddress. Every call then went
/// to ".../resources/services/integrations/api/resources" and ended as a 404 that blamed "BaseAddress and the
/// leafUserId". An address that ends in one of the SDK's own paths can only be that mistake: refused at start-up,
/// with the root to give instead. A gateway's root with a path of its own stays accepted.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class EndpointAsBaseAddressTests
{
    [TestCase("https://api.withleaf.io/services/integrations/api/resources", "https://api.withleaf.io/")]
    [TestCase("https://api.withleaf.io/services/integrations/api/resources/", "https://api.withleaf.io/")]
    [TestCase("https://gateway.example/leaf/Services/Integrations/API/Resources", "https://gateway.example/leaf/")]
    [TestCase("https://api.withleaf.io/api/authenticate", "https://api.withleaf.io/")]
    public void The_standalone_client_refuses_an_endpoint_as_the_root(string address, string root)
    {
        var options = new LeafClientOptions { BaseAddress = new Uri(address), AccessToken = "a-token" };

        var ex = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("options"));
            Assert.That(ex.Message, Does.Contain("Leaf:BaseAddress"));
            Assert.That(ex.Message, Does.Contain("the SDK adds that path itself"));
            Assert.That(ex.Message, Does.Contain($"set the API root, {root}"));
        });
    }

    [Test]
    public void Start_up_validation_names_the_configured_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Integrations:Leaf:BaseAddress"] = "https://api.withleaf.io/services/integrations/api/resources",
            ["Integrations:Leaf:AccessToken"] = "a-token",
        }).Build();
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection("Integrations:Leaf"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<LeafClientOptions>>().Get(Options.DefaultName));

        Assert.That(ex!.Message, Does.Contain("Integrations:Leaf:BaseAddress").And.Contain("set the API root, https://api.withleaf.io/"));
    }

    [Test]
    public async Task A_gateway_root_with_a_path_of_its_own_is_still_accepted()
    {
        using var server = FakeLeafServer.Start();
        var options = server.CreateClientOptions();
        options.BaseAddress = new Uri(server.BaseAddress, "/services/integrations/");

        using var client = new IntegrationsClient(options);
        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.GetResourcesAsync());

        Assert.That(error!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound), "accepted and sent; the fake serves no such gateway path");
    }
}
