using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round7Options;

/// <summary>
/// A base address is quoted by every message about it and by ToString(). What sits in its query or fragment
/// (?access_token=...), or before an '@' when the scheme is missing (user:password@host), can be a secret; the
/// address is refused, and the secret not shown.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class AddressSecretTests
{
    private const string Secret = "addr-s3cret-7Qp2";

    private static IEnumerable<TestCaseData> Addresses()
    {
        yield return new TestCaseData("https://api.withleaf.io/?access_token=" + Secret, "query").SetArgDisplayNames("a token in the query");
        yield return new TestCaseData("https://api.withleaf.io/v2#" + Secret, "fragment").SetArgDisplayNames("a fragment");
        yield return new TestCaseData("http://127.0.0.1:5000/?password=" + Secret, "query").SetArgDisplayNames("loopback with a query");
        yield return new TestCaseData("svc-leaf:" + Secret + "@api.withleaf.io", "https://").SetArgDisplayNames("user:password@host without a scheme");
        yield return new TestCaseData("api.withleaf.io/?token=" + Secret, "relative").SetArgDisplayNames("a relative address with a query");
    }

    [TestCaseSource(nameof(Addresses))]
    public void The_standalone_client_refuses_it_without_showing_the_secret(string address, string says)
    {
        var options = new LeafClientOptions { AccessToken = R7Config.Token, BaseAddress = new Uri(address, UriKind.RelativeOrAbsolute) };

        var error = R7Config.Standalone(options);

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.Contain("Leaf:BaseAddress").And.Contain(says));
        Assert.That(error.ToString(), Does.Not.Contain(Secret));
        Assert.That(options.ToString(), Does.Not.Contain(Secret));
    }

    [TestCaseSource(nameof(Addresses))]
    public void Configuration_with_it_is_refused_at_start_without_showing_the_secret(string address, string says)
    {
        var (_, error) = R7Config.FromSection(("AccessToken", R7Config.Token), ("BaseAddress", address));
        var (_, fromCode) = R7Config.Resolve(s => s.AddLeafSdk(o => { o.AccessToken = R7Config.Token; o.BaseAddress = new Uri(address, UriKind.RelativeOrAbsolute); }));

        foreach (var refusal in new[] { error, fromCode })
        {
            Assert.That(refusal, Is.Not.Null);
            Assert.That(refusal!.Message, Does.Contain("Leaf:BaseAddress").And.Contain(says));
            Assert.That(refusal.ToString(), Does.Not.Contain(Secret));
        }
    }

    [Test]
    public void An_address_configuration_cannot_parse_is_refused_without_showing_a_password_in_it()
    {
        var (_, error) = R7Config.FromSection(("AccessToken", R7Config.Token), ("BaseAddress", "https://svc-leaf:" + Secret + "@[api.withleaf.io"));

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.Contain("Leaf:BaseAddress").And.Contain("not an address"));
        Assert.That(error.ToString(), Does.Not.Contain(Secret));
    }

    [Test]
    public void ToString_says_a_query_is_there_without_its_value()
    {
        var options = new LeafClientOptions { BaseAddress = new Uri("https://api.withleaf.io/v2/?access_token=" + Secret + "#x") };

        Assert.That(options.ToString(), Does.Contain("BaseAddress = https://api.withleaf.io/v2/?(redacted)#(redacted),"));
    }
}
