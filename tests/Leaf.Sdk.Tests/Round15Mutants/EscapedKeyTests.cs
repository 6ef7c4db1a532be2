using System.Text;
using Leaf.Sdk.Tests.Round9Parsers;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round15Mutants;

/// <summary>
/// A summary's keys match in any case, as the envelope's do (SyncSummaryConverter), and JSON lets any character of a key
/// be written as a \u escape. ParserEdgeTests.Summary_keys_match_in_any_case meant to cover escaped keys, but its
/// "provid\u0065r" is a C# escape: the body it sends spells "provider" plainly. A key both escaped and in another case
/// ("Gr\u006Fwers") is matched on its unescaped text; read as an extra key, the count would be dropped as absent.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class EscapedKeyTests
{
    private const string EscapedKeys = """
        {"message":"SUCCESS","summaries":[{"\u0050rovider":"JohnDeere","LeafUser\u0049d":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","Gr\u006Fwers":1,"FARM\u0053":2,"\u0046ields":3,"SyncReferenceTim\u0065":"2026-01-01T00:00:00Z"}]}
        """;

    [Test]
    public async Task Keys_escaped_and_in_another_case_are_read_on_every_path()
    {
        var outcomes = await BodyPaths.AllAsync(Encoding.UTF8.GetBytes(EscapedKeys));

        Assert.Multiple(() =>
        {
            foreach (var (path, outcome) in outcomes)
            {
                Assert.That(outcome.Kind, Is.EqualTo(OutcomeKind.Parsed), $"{path}: {outcome}");
                var summary = outcome.Response?.Summaries.Single();
                Assert.That(summary?.Provider, Is.EqualTo(Provider.JohnDeere), path.ToString());
                Assert.That(summary?.LeafUserId, Is.EqualTo(Guid.Parse(LeafJson.UserId)), path.ToString());
                Assert.That((summary?.Growers, summary?.Farms, summary?.Fields), Is.EqualTo(((int?)1, (int?)2, (int?)3)), path.ToString());
                Assert.That(summary?.SyncReferenceTime, Is.EqualTo(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), path.ToString());
            }
        });
    }
}
