using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round8Options;

/// <summary>
/// AddLeafSdk(configuration.GetSection("Integrations:LeafApi")) was refused with "Leaf:MaxRetries is -1": a user who
/// searched their configuration (or their environment for Leaf__MaxRetries) found nothing. Start-up messages name the
/// setting by its path in the section the app bound; options set in code keep the conventional Leaf:X.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SectionPathTests
{
    private const string Section = "Integrations:LeafApi";

    [TestCase("MaxRetries", "-1", "Integrations:LeafApi:MaxRetries is -1")]
    [TestCase("RetryBaseDelay", "00:02:00", "Integrations:LeafApi:RetryBaseDelay is 00:02:00")]
    [TestCase("AttemptTimeout", "00:05:00", "Integrations:LeafApi:AttemptTimeout (00:05:00) is longer than Integrations:LeafApi:TotalTimeout (00:01:00)")]
    [TestCase("BaseAddress", "http://leaf.example.com", "Integrations:LeafApi:BaseAddress 'http://leaf.example.com/' uses plain http://")]
    [TestCase("MaxRetries", "three", "Integrations:LeafApi:MaxRetries 'three' is not a whole number")]
    [TestCase("TotalTimeout", "30", "Integrations:LeafApi:TotalTimeout '30' is a bare number")]
    [TestCase("BaseAddress", "https://", "Integrations:LeafApi:BaseAddress 'https://' is not an address")]
    public void A_refusal_names_the_setting_by_its_path_in_the_bound_section(string key, string value, string says)
    {
        var configuration = R8Config.Configuration(($"{Section}:AccessToken", R8Config.Token), ($"{Section}:{key}", value));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection(Section)));

        Assert.That(error?.Message, Does.Contain(says));
        Assert.That(error!.Message, Does.Not.Contain("Leaf:"), "no setting is named by a section the app does not have");
    }

    [Test]
    public void Missing_credentials_name_the_keys_to_add_to_the_bound_section()
    {
        var configuration = R8Config.Configuration(($"{Section}:MaxRetries", "2"));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection(Section)));

        Assert.That(error?.Message, Does.Contain("set Integrations:LeafApi:AccessToken to a Leaf token, or Integrations:LeafApi:Username and Integrations:LeafApi:Password"));
    }

    // A section name with a typo binds nothing; its path in the message is how the user sees why.
    [Test]
    public void A_misspelt_section_shows_in_the_refusal()
    {
        var configuration = R8Config.Configuration(("Leaf:AccessToken", R8Config.Token));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection("Leef")));

        Assert.That(error?.Message, Does.Contain("set Leef:AccessToken"));
    }

    [Test]
    public void Of_two_bound_sections_the_one_holding_the_value_is_named()
    {
        var configuration = R8Config.Configuration(("Leaf:AccessToken", R8Config.Token), ("Overrides:MaxRetries", "12"));

        var error = R8Config.Refusal(s =>
        {
            s.AddLeafSdk(configuration.GetSection("Leaf"));
            s.AddLeafSdk(configuration.GetSection("Overrides"));
        });

        Assert.That(error?.Message, Does.Contain("Overrides:MaxRetries is 12").And.Not.Contain("Leaf:MaxRetries"));
    }

    [Test]
    public void Settings_at_the_top_of_a_configuration_are_named_by_their_key_alone()
    {
        var configuration = R8Config.Configuration(("AccessToken", R8Config.Token), ("MaxRetries", "-1"));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration));

        Assert.That(error?.Message, Does.StartWith("MaxRetries is -1"));
    }

    [Test]
    public void Options_set_in_code_or_standalone_keep_the_conventional_name()
    {
        var inCode = R8Config.Refusal(s => s.AddLeafSdk(o => { o.AccessToken = R8Config.Token; o.MaxRetries = -1; }));
        var standalone = Assert.Throws<ArgumentException>(() => new IntegrationsClient(new LeafClientOptions { AccessToken = R8Config.Token, MaxRetries = -1 }));

        Assert.Multiple(() =>
        {
            Assert.That(inCode?.Message, Does.StartWith("Leaf:MaxRetries is -1"));
            Assert.That(standalone?.Message, Does.StartWith("Leaf:MaxRetries is -1"));
        });
    }
}
