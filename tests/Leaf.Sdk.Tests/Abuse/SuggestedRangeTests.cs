using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Abuse;

/// <summary>
/// A message that refuses a time span suggests a range; both ends, written into configuration as the message spells
/// them, must be accepted and mean what the message meant. ("24:00:00" is 24 days to TimeSpan.Parse, not 24 hours.)
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed partial class SuggestedRangeTests
{
    private const string Token = "range-token-9f8e7d";

    [TestCase(nameof(LeafClientOptions.AttemptTimeout), "1.01:00:00", "00:00:00.001")]
    [TestCase(nameof(LeafClientOptions.TotalTimeout), "1.01:00:00", "00:00:00.001")]
    [TestCase(nameof(LeafClientOptions.RetryBaseDelay), "00:01:01", "-00:00:01")]
    public void Both_ends_of_the_range_a_refusal_suggests_are_accepted_from_configuration(string key, string tooLong, string tooShort)
    {
        foreach (var refused in new[] { tooLong, tooShort })
        {
            var error = Assert.Throws<OptionsValidationException>(() => Resolve((key, refused)))!;
            var range = SuggestedRange().Match(error.Message);
            Assert.That(range.Success, Is.True, $"the message names a range: {error.Message}");

            foreach (var end in new[] { range.Groups["low"].Value, range.Groups["high"].Value })
            {
                // An attempt may not outlast the call: both time-outs are set to the same length.
                var settings = key == nameof(LeafClientOptions.RetryBaseDelay)
                    ? new[] { (key, end) }
                    : [(nameof(LeafClientOptions.AttemptTimeout), end), (nameof(LeafClientOptions.TotalTimeout), end)];
                var options = Resolve(settings);

                var bound = (TimeSpan)typeof(LeafClientOptions).GetProperty(key)!.GetValue(options)!;
                Assert.That(bound, Is.EqualTo(TimeSpan.Parse(end, System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(bound, Is.LessThanOrEqualTo(TimeSpan.FromHours(24)), $"'{end}' from the message '{error.Message}'");
            }
        }
    }

    private static LeafClientOptions Resolve(params (string Key, string Value)[] values)
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Leaf:" + v.Key, v.Value)).Append(new("Leaf:AccessToken", Token)))
            .Build()
            .GetSection("Leaf");
        var services = new ServiceCollection();
        services.AddLeafSdk(section);
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IIntegrationsClient>();
        return provider.GetRequiredService<IOptions<LeafClientOptions>>().Value;
    }

    [GeneratedRegex(@"from (?<low>-?[\d.:]*\d) to (?<high>[\d.:]*\d)")]
    private static partial Regex SuggestedRange();
}
