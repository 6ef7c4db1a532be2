using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round7Options;

/// <summary>Start-up refusals that must point at what the user actually did.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class StartupMessageTests
{
    private sealed class VaultTokens : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult("vault-token-r7");
    }

    // The user never set LeafClientOptions.TokenSource: "a TokenSource" alone sent them looking for a setting they
    // do not have. The message names the registration.
    [Test]
    public void Credentials_beside_a_registered_token_source_name_the_registration()
    {
        var (_, error) = R7Config.Resolve(s =>
        {
            s.AddSingleton<ILeafTokenSource, VaultTokens>();
            s.AddLeafSdk(R7Config.Section(("Username", "api@example.com"), ("Password", "pw-r7-77aa")));
        });

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.Contain("More than one way").And.Contain("ILeafTokenSource").And.Contain("Username/Password"));
        Assert.That(error.Message, Does.Not.Contain("pw-r7-77aa"));
    }

    // AddLeafSdk(builder.Configuration) instead of AddLeafSdk(builder.Configuration.GetSection("Leaf")): nothing was
    // bound, and the refusal said "set Leaf:AccessToken" to a user who had.
    [Test]
    public void The_whole_configuration_passed_for_its_Leaf_section_is_named_as_the_mistake()
    {
        var root = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Leaf:AccessToken", R7Config.Token), new("Logging:LogLevel:Default", "Information")])
            .Build();

        var (_, error) = R7Config.Resolve(s => s.AddLeafSdk(root));

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.Contain("GetSection(\"Leaf\")"));
        Assert.That(error.Message, Does.Not.Contain(R7Config.Token));
    }

    [Test]
    public void A_configuration_holding_the_settings_at_its_top_is_still_bound()
    {
        var root = new ConfigurationBuilder()
            .AddInMemoryCollection([new("AccessToken", R7Config.Token), new("MaxRetries", "1")])
            .Build();

        var (options, error) = R7Config.Resolve(s => s.AddLeafSdk(root));

        Assert.That(error, Is.Null);
        Assert.That(options!.MaxRetries, Is.EqualTo(1));
    }
}
