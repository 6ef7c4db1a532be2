using System.Text;
using Leaf.Sdk.Serialization;
using static Leaf.Sdk.Tests.TestSupport.SyncFixture;

namespace Leaf.Sdk.Tests.Round7Checks;

/// <summary>
/// A summary without a leafUserId (the parser reads a missing or null key as <see cref="Guid.Empty"/>) names no user:
/// SyncFinding.LeafUserId promises null for it, and no user 00000000-... is expected to have providers.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class NamelessUserTests
{
    [Test]
    public async Task The_parser_reads_a_missing_or_null_leafUserId_as_Guid_Empty()
    {
        // The premise of the tests below, through the SDK's own reader.
        using var content = new StringContent("""{"message":"SUCCESS","summaries":[{"provider":"Trimble","fields":0},{"provider":"Raven","leafUserId":null,"fields":1}]}""", Encoding.UTF8, "application/json");

        var response = await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None);

        Assert.That(response.Summaries.Select(s => s.LeafUserId), Is.EqualTo(new[] { Guid.Empty, Guid.Empty }));
    }

    [Test]
    public void Its_findings_name_no_user()
    {
        var report = CheckAll(Response(Summary(Provider.Trimble, 1, 1, 0, user: Guid.Empty)));

        var finding = report.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.NoFields));
            Assert.That(finding.LeafUserId, Is.Null);
            Assert.That(finding.Message, Does.Not.Contain(Guid.Empty.ToString()));
            Assert.That(finding.Message, Is.EqualTo("Trimble reports 0 fields for a summary without a leafUserId. Next: confirm the user's Trimble account has fields and that the connection's organizationDataSync / customDataSync settings include them, then trigger a new sync."));
        });
    }

    [Test]
    public void It_is_no_user_whose_expected_providers_are_missing()
    {
        var expectations = new SyncExpectations { ExpectedProviders = { Provider.JohnDeere } };

        var report = CheckAll(Response(Summary(Provider.Trimble, 1, 1, 44, user: Guid.Empty), Summary(Provider.JohnDeere, 3, 7, 142)), expectations);

        Assert.That(report.Findings, Is.Empty, string.Join('\n', report.Findings));
    }

    [Test]
    public void A_user_named_in_the_response_keeps_its_id()
    {
        var report = CheckAll(Response(Summary(Provider.Trimble, 1, 1, 0)));

        Assert.That(report.Findings.Single().LeafUserId, Is.EqualTo(User));
        Assert.That(report.Findings.Single().Message, Does.Contain("for Leaf user " + User));
    }
}
