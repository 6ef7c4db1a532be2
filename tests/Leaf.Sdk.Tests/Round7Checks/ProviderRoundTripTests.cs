using System.Text;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Tests.Round7Checks;

/// <summary>
/// Every Provider value against the catalogue and the wire: a member added to the enum without its catalogue row (or
/// in another place) fails here, not in a user's GetInfo.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ProviderRoundTripTests
{
    private static IEnumerable<Provider> KnownProviders() => Enum.GetValues<Provider>().Where(p => p != Provider.Unknown);

    [TestCaseSource(nameof(KnownProviders))]
    public void Provider_to_API_name_to_Provider_is_the_identity(Provider provider)
    {
        var info = provider.GetInfo();

        Assert.Multiple(() =>
        {
            Assert.That(info.Provider, Is.EqualTo(provider));
            Assert.That(Providers.TryParse(info.ApiName, out var parsed), Is.True);
            Assert.That(parsed, Is.EqualTo(provider));
            Assert.That(info.ApiName, Is.EqualTo(provider.ToString()), "DESIGN.md: every API name is the enum member's name");
            Assert.That(info.Levels.HasFlag(FmisLevels.Field), Is.True, "every provider in Leaf's FMIS table has fields");
        });
    }

    [TestCaseSource(nameof(KnownProviders))]
    public async Task A_summary_from_the_wire_comes_back_as_the_provider_in_any_case(Provider provider)
    {
        var name = provider.GetInfo().ApiName;
        var json = $$"""{"message":"SUCCESS","summaries":[{"provider":"{{name}}","fields":1},{"provider":"{{name.ToLowerInvariant()}}","fields":1}]}""";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        var response = await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None);

        Assert.That(response.Summaries.Select(s => (s.Provider, s.ProviderName)), Is.EqualTo(new[] { (provider, name), (provider, name.ToLowerInvariant()) }));
    }

    [Test]
    public void Display_and_API_names_are_unique()
    {
        Assert.That(Providers.All.Select(p => p.ApiName.ToUpperInvariant()), Is.Unique);
        Assert.That(Providers.All.Select(p => p.DisplayName), Is.Unique);
    }

    [TestCase("Panorama")]
    [TestCase("Unknown")]
    [TestCase("John Deere")]
    [TestCase(" JohnDeere")]
    public async Task A_name_the_SDK_does_not_know_is_kept_raw_as_Unknown(string name)
    {
        var json = $$"""{"message":"SUCCESS","summaries":[{"provider":"{{name}}","fields":1}]}""";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        var summary = (await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None)).Summaries.Single();

        Assert.That((summary.Provider, summary.ProviderName), Is.EqualTo((Provider.Unknown, name)));
    }
}
