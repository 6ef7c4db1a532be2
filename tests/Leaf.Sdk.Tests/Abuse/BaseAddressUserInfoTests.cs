using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Abuse;

/// <summary>
/// A base address with a user name and password in it (https://user:password@host) is a secret in the one setting
/// that every message and ToString() shows; the SDK never sends them (it sends a bearer token), so it refuses them,
/// and shows neither.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BaseAddressUserInfoTests
{
    private const string UserInfoPassword = "gateway-Pa55-8c1f";
    private const string Address = "https://svc-leaf:" + UserInfoPassword + "@gateway.agtech.example/leaf";

    [TestCase(Address)]
    [TestCase("http://svc-leaf:" + UserInfoPassword + "@127.0.0.1:5000")]
    [TestCase("http://svc-leaf:" + UserInfoPassword + "@api.withleaf.io")]
    public void The_standalone_client_refuses_it_without_showing_it(string address)
    {
        var options = new LeafClientOptions { BaseAddress = new Uri(address), AccessToken = "userinfo-token-1234" };

        var error = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options).Dispose())!;

        Assert.That(error.Message, Does.Contain("Leaf:BaseAddress").And.Contain("user name or password"));
        Assert.That(error.ToString(), Does.Not.Contain(UserInfoPassword));
    }

    [Test]
    public void Configuration_with_it_is_refused_at_start_without_showing_it()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Leaf:BaseAddress", Address), new("Leaf:AccessToken", "userinfo-token-1234")])
            .Build()
            .GetSection("Leaf");
        var services = new ServiceCollection();
        services.AddLeafSdk(section);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IIntegrationsClient>())!;

        Assert.That(error.Message, Does.Contain("Leaf:BaseAddress").And.Contain("user name or password"));
        Assert.That(error.ToString(), Does.Not.Contain(UserInfoPassword));
    }

    [Test]
    public void ToString_does_not_show_it()
    {
        var options = new LeafClientOptions { BaseAddress = new Uri(Address), AccessToken = "userinfo-token-1234" };

        var text = options.ToString();

        Assert.That(text, Does.Not.Contain(UserInfoPassword).And.Not.Contain("svc-leaf"));
        Assert.That(text, Does.Contain("https://gateway.agtech.example/leaf"));
    }

    [Test]
    public void An_address_without_it_is_shown_as_it_is()
    {
        using var server = Stub.Start();
        var options = Stub.Options(server);
        options.BaseAddress = new Uri(server.Url + "/leaf/");

        Assert.That(options.ToString(), Does.Contain($"BaseAddress = {server.Url}/leaf/,"));
    }
}
