using static Leaf.Sdk.Tests.TestSupport.SyncFixture;

namespace Leaf.Sdk.Tests.Round7Checks;

/// <summary>The documented order of SyncReport.Findings, for code that shows the first one or diffs two reports.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class FindingOrderTests
{
    [Test]
    public void Missing_expected_providers_follow_the_enum_whatever_order_they_were_added_in()
    {
        var expectations = new SyncExpectations { ExpectedProviders = { Provider.Sentera, Provider.Raven, Provider.JohnDeere, Provider.CNHI } };
        expectations.ExpectedProviders.Remove(Provider.Raven);
        expectations.ExpectedProviders.Add(Provider.AgVance);
        expectations.ExpectedProviders.Add(Provider.Raven);

        var report = CheckUser(Response(), expectations);

        Assert.That(report.Findings.Select(f => f.Provider), Is.EqualTo(new[] { Provider.JohnDeere, Provider.CNHI, Provider.Raven, Provider.AgVance, Provider.Sentera }));
    }

    [Test]
    public void Within_a_severity_findings_follow_users_then_missing_providers_then_summaries_in_response_order()
    {
        var expectations = new SyncExpectations { ExpectedProviders = { Provider.Stara } };
        var response = Response(
            Summary(Provider.Trimble, 1, 1, 0, user: OtherUser),
            Summary(Provider.Raven, 1, 1, 0),
            Summary(Provider.JohnDeere, 1, 1, 0, user: OtherUser));

        var report = CheckAll(response, expectations);

        Assert.That(report.Findings.Select(f => (f.LeafUserId, f.Code, f.Provider)), Is.EqualTo(new (Guid?, SyncFindingCode, Provider)[]
        {
            (OtherUser, SyncFindingCode.ProviderMissing, Provider.Stara),
            (OtherUser, SyncFindingCode.NoFields, Provider.Trimble),
            (OtherUser, SyncFindingCode.NoFields, Provider.JohnDeere),
            (User, SyncFindingCode.ProviderMissing, Provider.Stara),
            (User, SyncFindingCode.NoFields, Provider.Raven),
        }));
    }

    [Test]
    public void The_same_response_checked_twice_gives_the_same_findings_in_the_same_order()
    {
        var response = Response(Summary(Provider.Sentera, null, 2, 15), Summary(Provider.Raven, null, 2, 44, TimeSpan.FromDays(3)), Summary(Provider.Trimble, 1, 1, 0));

        var first = CheckUser(response);
        var second = CheckUser(response);

        Assert.That(second.Findings, Is.EqualTo(first.Findings));
        Assert.That(first.Findings, Has.Count.EqualTo(4));
    }
}
