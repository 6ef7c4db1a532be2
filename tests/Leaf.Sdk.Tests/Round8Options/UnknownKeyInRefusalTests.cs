using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Leaf.Sdk.Tests.Round8Options;

/// <summary>
/// A misspelt key is logged (event 11) when the first client is built, which never happens when start-up is refused:
/// "AcessToken" drew "No way to authenticate is set: set Leaf:AccessToken", with no word of the key the user did set.
/// A refusal now names the keys the SDK does not read; they still refuse nothing by themselves.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UnknownKeyInRefusalTests
{
    [Test]
    public void A_refusal_names_a_misspelt_key_without_its_value()
    {
        var configuration = R8Config.Configuration(("Leaf:AcessToken", R8Config.Token), ("Leaf:MaxRetries", "2"));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection("Leaf")));

        Assert.That(error?.Message, Does.Contain("No way to authenticate is set").And.Contain("Leaf:AcessToken"));
        Assert.That(error!.Message, Does.Not.Contain(R8Config.Token));
    }

    [Test]
    public void The_key_is_named_by_its_path_in_the_bound_section()
    {
        var configuration = R8Config.Configuration(("Integrations:LeafApi:AccessToken", R8Config.Token), ("Integrations:LeafApi:MaxRetries", "11"), ("Integrations:LeafApi:RetryDelay", "00:00:02"));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection("Integrations:LeafApi")));

        Assert.That(error?.Failures, Has.Exactly(2).Items);
        Assert.That(error!.Failures.Last(), Does.StartWith("Integrations:LeafApi:RetryDelay").And.Contain("RetryBaseDelay"));
    }

    // The section above the Leaf settings bound nothing; the refusal told the user to set Integrations:AccessToken.
    [Test]
    public void A_section_one_level_above_the_settings_is_named_with_the_section_to_bind()
    {
        var configuration = R8Config.Configuration(("Integrations:Leaf:AccessToken", R8Config.Token), ("Integrations:Leaf:MaxRetries", "2"));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection("Integrations")));

        Assert.That(error?.Message, Does.Contain("Integrations:Leaf holds Leaf settings, but AddLeafSdk was given Integrations: pass configuration.GetSection(\"Integrations:Leaf\")."));
        Assert.That(error!.Message, Does.Not.Contain(R8Config.Token));
    }

    [Test]
    public void A_misspelt_key_alone_still_refuses_nothing_and_is_logged()
    {
        var collector = new FakeLogCollector();
        var configuration = R8Config.Configuration(("Leaf:AccessToken", R8Config.Token), ("Leaf:MaxRetry", "5"));

        var error = R8Config.Refusal(s =>
        {
            s.AddLogging(b => b.AddProvider(new FakeLoggerProvider(collector)));
            s.AddLeafSdk(configuration.GetSection("Leaf"));
        });

        Assert.That(error, Is.Null);
        Assert.That(collector.GetSnapshot().Where(r => r.Id.Id == 11).Select(r => r.Message), Has.One.Contains("Leaf:MaxRetry"));
    }
}
