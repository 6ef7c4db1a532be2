using System.Text;
using Leaf.Sdk.Tests.Round9Parsers;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round15Mutants;

/// <summary>
/// What SyncSummaryConverter makes of values the existing tests left unpinned: a summary with no provider, or a null
/// one, has an empty <see cref="SyncSummary.ProviderName"/> ("Empty, never null, when there is no name: ... read as
/// JSON null, it is empty"), and a leafUserId in another standard UUID form is still the UUID.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ConverterValueTests
{
    [TestCase("""{"summaries":[{"leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","fields":1}]}""", TestName = "No provider key")]
    [TestCase("""{"summaries":[{"provider":null,"leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","fields":1}]}""", TestName = "A null provider")]
    public async Task A_summary_without_a_provider_name_has_an_empty_ProviderName(string body)
    {
        var outcomes = await BodyPaths.AllAsync(Encoding.UTF8.GetBytes(body));

        Assert.Multiple(() =>
        {
            foreach (var (path, outcome) in outcomes)
            {
                Assert.That(outcome.Kind, Is.EqualTo(OutcomeKind.Parsed), $"{path}: {outcome}");
                var summary = outcome.Response?.Summaries.Single();
                Assert.That(summary?.ProviderName, Is.Empty, path.ToString());
                Assert.That(summary?.Provider, Is.EqualTo(Provider.Unknown), path.ToString());
                Assert.That(summary?.Fields, Is.EqualTo(1), path.ToString());
            }
        });
    }

    [TestCase("7b6e2c8a3f0d4c1e9a5b2d8f4e6a1c3b", TestName = "32 digits")]
    [TestCase("{7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b}", TestName = "In braces")]
    [TestCase("(7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b)", TestName = "In parentheses")]
    [TestCase("7B6E2C8A-3F0D-4C1E-9A5B-2D8F4E6A1C3B", TestName = "Upper case")]
    public async Task A_leafUserId_in_another_UUID_form_is_read(string id)
    {
        var outcomes = await BodyPaths.AllAsync(Encoding.UTF8.GetBytes($$"""{"summaries":[{"provider":"JohnDeere","leafUserId":"{{id}}","fields":1}]}"""));

        Assert.Multiple(() =>
        {
            foreach (var (path, outcome) in outcomes)
            {
                Assert.That(outcome.Kind, Is.EqualTo(OutcomeKind.Parsed), $"{path}: {outcome}");
                Assert.That(outcome.Response?.Summaries.Single().LeafUserId, Is.EqualTo(Guid.Parse(LeafJson.UserId)), path.ToString());
            }
        });
    }
}
