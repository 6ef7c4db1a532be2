using System.Globalization;
using Leaf.Sdk.Tests.Round7Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round17Lead;

/// <summary>
/// Corners of binding <see cref="LeafClientOptions"/> from configuration that no test pinned (found by mutating
/// <c>LeafClientOptionsBinder</c> by hand): a blank value is no value, numbers are read strictly and without the
/// machine's culture, and a whole configuration holding the settings at its top is bound even beside a Leaf section.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BlankAndStrictConfigurationTests
{
    // A container template's `Leaf__BaseAddress=${LEAF_URL}` with LEAF_URL unset sets the key to "": as for every other
    // setting, a blank value leaves the default in force instead of refusing start-up.
    [TestCase("BaseAddress", "")]
    [TestCase("BaseAddress", "   ")]
    [TestCase("MaxRetries", "")]
    [TestCase("MaxRetries", "  ")]
    [TestCase("RetryBaseDelay", " ")]
    [TestCase("AttemptTimeout", "\t")]
    [TestCase("TotalTimeout", "")]
    [TestCase("EnableCircuitBreaker", "  ")]
    [TestCase("RememberMe", " ")]
    public void A_blank_value_leaves_the_default_in_force(string key, string blank)
    {
        var defaults = new LeafClientOptions();

        var (options, error) = R7Config.FromSection(("AccessToken", R7Config.Token), (key, blank));

        Assert.That(error, Is.Null, () => error!.Message);
        Assert.Multiple(() =>
        {
            Assert.That(options!.BaseAddress, Is.EqualTo(defaults.BaseAddress));
            Assert.That(options.MaxRetries, Is.EqualTo(defaults.MaxRetries));
            Assert.That(options.RetryBaseDelay, Is.EqualTo(defaults.RetryBaseDelay));
            Assert.That(options.AttemptTimeout, Is.EqualTo(defaults.AttemptTimeout));
            Assert.That(options.TotalTimeout, Is.EqualTo(defaults.TotalTimeout));
            Assert.That(options.EnableCircuitBreaker, Is.EqualTo(defaults.EnableCircuitBreaker));
            Assert.That(options.RememberMe, Is.EqualTo(defaults.RememberMe));
        });
    }

    // int.TryParse with NumberStyles.Any would read these as 1, 1 and 1000 retries: a number written some other way
    // than as a whole number is a mistake to report, not to guess at.
    [TestCase("1e0")]
    [TestCase("1.0")]
    [TestCase("1,000")]
    public void A_retry_count_not_written_as_a_whole_number_is_refused_naming_the_key(string value)
    {
        var (options, error) = R7Config.FromSection(("AccessToken", R7Config.Token), ("MaxRetries", value));

        Assert.That(options, Is.Null, "accepted");
        Assert.That(error!.Message, Does.Contain($"Leaf:MaxRetries '{value}' is not a whole number"));
    }

    // Configuration is the same file on every machine: a server whose culture writes 20,5 must read 00:00:20.5 as the
    // developer's machine does.
    [TestCase("fr-FR")]
    [TestCase("de-DE")]
    [TestCase("ar-SA")]
    public void A_time_span_is_read_the_same_under_any_culture(string culture)
    {
        var (options, error) = InCulture(culture, () => R7Config.FromSection(("AccessToken", R7Config.Token), ("AttemptTimeout", "00:00:20.5"), ("MaxRetries", "2")));

        Assert.That(error, Is.Null, () => error!.Message);
        Assert.That(options!.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(20.5)));
        Assert.That(options.MaxRetries, Is.EqualTo(2));
    }

    // And the other way: "00:00:20,5" is what a French machine's culture writes, so it bound there and was refused on
    // every other machine. It is refused on every machine, as Microsoft's configuration binder (invariant) does.
    [TestCase("fr-FR")]
    [TestCase("de-DE")]
    public void A_time_span_in_the_machines_own_culture_is_refused_as_everywhere_else(string culture)
    {
        var (options, error) = InCulture(culture, () => R7Config.FromSection(("AccessToken", R7Config.Token), ("AttemptTimeout", "00:00:20,5")));

        Assert.That(options, Is.Null, "accepted");
        Assert.That(error!.Message, Does.Contain("Leaf:AttemptTimeout '00:00:20,5' is not a time span"));
    }

    // Options are bound on the thread that resolves the client, so the culture of that thread is the one that counts.
    private static T InCulture<T>(string culture, Func<T> resolve)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return resolve();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Test]
    public void A_bare_minus_one_is_called_minus_one_second()
    {
        var (_, error) = R7Config.FromSection(("AccessToken", R7Config.Token), ("RetryBaseDelay", "-1"));

        Assert.That(error!.Message, Does.Contain("such as -00:00:01 for -1 second."));
    }

    // The whole configuration with the settings at its top (environment variables without a prefix, say) is bound
    // from its top even when it also has a Leaf section: only a top with no Leaf setting at all is the mistake of
    // passing the configuration for its Leaf section.
    [Test]
    public void A_configuration_with_settings_at_its_top_is_bound_from_there_even_beside_a_Leaf_section()
    {
        var root = new ConfigurationBuilder()
            .AddInMemoryCollection([new("AccessToken", R7Config.Token), new("MaxRetries", "1"), new("Leaf:MaxRetries", "5")])
            .Build();

        var (options, error) = R7Config.Resolve(s => s.AddLeafSdk(root));

        Assert.That(error, Is.Null, () => error!.Message);
        Assert.That(options!.MaxRetries, Is.EqualTo(1));
    }
}
