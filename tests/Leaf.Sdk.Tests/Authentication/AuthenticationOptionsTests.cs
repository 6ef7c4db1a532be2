using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>Exactly one way to authenticate: none, two, or half of the credentials is a validation error that says what to set.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class AuthenticationOptionsTests
{
    private static readonly Uri Loopback = new("http://127.0.0.1:1");

    private static IEnumerable<TestCaseData> Invalid()
    {
        yield return new TestCaseData(new LeafClientOptions { BaseAddress = Loopback }, "No way to authenticate").SetName("none");
        yield return new TestCaseData(new LeafClientOptions { BaseAddress = Loopback, AccessToken = "t", Username = "u", Password = "p" }, "AccessToken, Username/Password").SetName("token and credentials");
        yield return new TestCaseData(new LeafClientOptions { BaseAddress = Loopback, AccessToken = "t", TokenSource = new RotatingTokenSource("x") }, "AccessToken, TokenSource").SetName("token and source");
        yield return new TestCaseData(new LeafClientOptions { BaseAddress = Loopback, Username = "u" }, "Leaf:Password is missing").SetName("username only");
        yield return new TestCaseData(new LeafClientOptions { BaseAddress = Loopback, Password = "p" }, "Leaf:Username is missing").SetName("password only");
    }

    [TestCaseSource(nameof(Invalid))]
    public void Standalone_constructor_says_which_settings_to_use(LeafClientOptions options, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options));

        Assert.That(error.Message, Does.Contain(expected));
        Assert.That(error.ParamName, Is.EqualTo("options"));
    }

    [TestCaseSource(nameof(Invalid))]
    public void DI_validation_says_which_settings_to_use(LeafClientOptions options, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => TestClient.Create(ClientKind.DependencyInjection, options).Dispose());

        Assert.That(error.Message, Does.Contain(expected));
    }

    [Test]
    public void DI_registered_source_and_an_access_token_is_two_ways()
    {
        var options = new LeafClientOptions { BaseAddress = Loopback, AccessToken = "t" };

        var error = Assert.Throws<OptionsValidationException>(() =>
            TestClient.Create(ClientKind.DependencyInjection, options, services: s => s.AddSingleton<ILeafTokenSource>(new RotatingTokenSource("x"))).Dispose());

        Assert.That(error.Message, Does.Contain("More than one way"));
    }

    [Test]
    public void Validation_messages_never_echo_the_secrets()
    {
        var options = new LeafClientOptions { BaseAddress = Loopback, AccessToken = "TOKEN-VALUE-42", Username = "u", Password = "PASSWORD-VALUE-42" };

        var error = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options));

        Assert.That(error.Message, Does.Not.Contain("TOKEN-VALUE").And.Not.Contain("PASSWORD-VALUE"));
    }
}
