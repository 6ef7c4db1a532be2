using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round7Options;

/// <summary>
/// The validation messages quote numbers the way configuration takes them, whatever the app's culture: under sv-SE a
/// negative number formatted by the culture starts with U+2212 (a minus sign configuration cannot read back), under
/// ar-SA with an invisible right-to-left mark.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class MessageCultureTests
{
    [TestCase("sv-SE")]
    [TestCase("ar-SA")]
    [TestCase("de-DE")]
    [TestCase("fr-FR")]
    public void A_refused_number_is_quoted_as_written_standalone_and_in_DI(string culture)
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(culture);
        try
        {
            var standalone = R7Config.Standalone(new LeafClientOptions { AccessToken = R7Config.Token, MaxRetries = -1 });
            var (_, di) = R7Config.Resolve(s => s.AddLeafSdk(o => { o.AccessToken = R7Config.Token; o.MaxRetries = -1; }));
            var (_, configured) = R7Config.FromSection(("AccessToken", R7Config.Token), ("MaxRetries", "-1"));

            Assert.That(standalone?.Message, Does.Contain("Leaf:MaxRetries is -1:"));
            Assert.That(di?.Message, Does.Contain("Leaf:MaxRetries is -1:"));
            Assert.That(configured?.Message, Does.Contain("Leaf:MaxRetries is -1:"));
            Assert.That(standalone!.Message.All(c => c < 0x7F), Is.True, standalone.Message);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [TestCase("de-DE")]
    [TestCase("fr-FR")]
    public void Configuration_values_read_the_same_under_a_culture_with_a_decimal_comma(string culture)
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(culture);
        try
        {
            var (options, error) = R7Config.FromSection(("AccessToken", R7Config.Token), ("RetryBaseDelay", "00:00:00.250"), ("AttemptTimeout", "00:00:20.5"), ("MaxRetries", "2"), ("RememberMe", "False"));

            Assert.That(error, Is.Null);
            Assert.That(options!.RetryBaseDelay, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(20.5)));
            Assert.That(options.MaxRetries, Is.EqualTo(2));
            Assert.That(options.RememberMe, Is.False);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
