using Leaf.Sdk.Tests.Round8Options;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round17Mutants;

/// <summary>
/// LeafClientOptionsValidator says which setting is wrong and how to fix it. Rules a hand-applied mutant changed without a
/// test noticing: the root an endpoint address is told to use instead, a password taken as written, and the list of
/// ways to authenticate a refusal names when a half of the credentials sits beside a token.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ValidatorRuleTests
{
    private static readonly Uri Loopback = new("http://127.0.0.1:1");

    // The advice must be the root itself: "set the API root, https://api.withleaf.io/services/.../resources/" would send
    // the user back to the address just refused.
    [TestCase("https://api.withleaf.io/services/integrations/api/resources", "https://api.withleaf.io/")]
    [TestCase("https://gateway.example/leaf/Services/Integrations/API/Resources/", "https://gateway.example/leaf/")]
    [TestCase("https://gateway.example/leaf/api/authenticate", "https://gateway.example/leaf/")]
    public void The_root_an_endpoint_address_is_told_to_use_is_accepted(string address, string root)
    {
        var error = Assert.Throws<ArgumentException>(() => new IntegrationsClient(new LeafClientOptions { BaseAddress = new Uri(address), AccessToken = "a-token" }));

        Assert.That(error!.Message, Does.Contain($"set the API root, {root}."));
        Assert.DoesNotThrow(() => new IntegrationsClient(new LeafClientOptions { BaseAddress = new Uri(root), AccessToken = "a-token" }).Dispose(), "the advice, followed");
    }

    // A password is sent as written; the SDK cannot tell a password of spaces from a mistake, and refusing it would lock
    // out the account that has one. A blank Username, by contrast, is no user name at all.
    [TestCase(" ")]
    [TestCase("\t \t")]
    public void A_password_of_white_space_is_a_password(string password)
    {
        Assert.DoesNotThrow(() => new IntegrationsClient(new LeafClientOptions { BaseAddress = Loopback, Username = "someone", Password = password }).Dispose());
    }

    [Test]
    public void A_password_beside_an_access_token_is_named_as_a_second_way_to_authenticate()
    {
        var error = Assert.Throws<ArgumentException>(() => new IntegrationsClient(new LeafClientOptions { BaseAddress = Loopback, AccessToken = "a-token", Password = "secret" }));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("More than one way to authenticate is set (AccessToken, Username/Password)"));
            Assert.That(error.Message, Does.Not.Contain("secret"));
        });
    }

    // An address configuration held that could not be read leaves BaseAddress at its earlier value, which is not the
    // address the user meant: the refusal names the unreadable one only, not a rule the earlier one breaks.
    [Test]
    public void An_unreadable_address_is_not_judged_by_the_address_it_left_in_place()
    {
        var configuration = R8Config.Configuration(("Leaf:AccessToken", "a-token"), ("Leaf:BaseAddress", "https://"));

        var error = R8Config.Refusal(s =>
        {
            s.Configure<LeafClientOptions>(o => o.BaseAddress = new Uri("http://leaf.example.com"));
            s.AddLeafSdk(configuration.GetSection("Leaf"));
        });

        Assert.That(error?.Failures, Is.EqualTo(new[] { "Leaf:BaseAddress 'https://' is not an address: set an absolute https:// address." }));
    }
}
