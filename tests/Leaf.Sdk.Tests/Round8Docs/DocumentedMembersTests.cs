using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round8Docs;

// Inside the namespace, so SyncChecks is the library's class, not the Leaf.Sdk.Tests.SyncChecks namespace.
using SyncChecks = Leaf.Sdk.SyncChecks;

/// <summary>XML docs of public members read against what the code does; each test names the sentence it pins.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class DocumentedMembersTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    // SyncFindingCode.NoSummaries said "When ExpectedProviders names providers, each is a ProviderMissing instead";
    // that holds for a check of one Leaf user. A check of every user has no user to miss a provider: NoSummaries.
    [Test]
    public void An_empty_response_with_expected_providers_is_ProviderMissing_for_one_user_and_NoSummaries_for_every_user()
    {
        var empty = new SyncSummaryResponse { Message = "SUCCESS" };
        var expectations = new SyncExpectations { ExpectedProviders = { Provider.JohnDeere } };

        var oneUser = SyncChecks.CheckUser(empty, DemoUsers.Healthy, expectations, Time);
        var everyUser = SyncChecks.Check(empty, expectations, Time);

        Assert.Multiple(() =>
        {
            Assert.That(oneUser.Findings.Select(f => (f.Code, f.Severity)), Is.EqualTo(new[] { (SyncFindingCode.ProviderMissing, SyncFindingSeverity.Error) }));
            Assert.That(everyUser.Findings.Select(f => (f.Code, f.Severity)), Is.EqualTo(new[] { (SyncFindingCode.NoSummaries, SyncFindingSeverity.Error) }));
        });
    }

    // SyncSummary.LeafUserId: Guid.Empty when Leaf's summary named none, and the sync checks report it without a user.
    [Test]
    public async Task A_summary_without_a_leafUserId_reads_as_Guid_Empty_and_its_findings_have_no_user()
    {
        using var server = Stub.Start();
        server.Resources("""{"message":"SUCCESS","summaries":[{"provider":"JohnDeere","growers":1,"farms":1,"fields":0,"syncReferenceTime":"2026-11-27T11:00:00Z"}]}""");
        using var client = new IntegrationsClient(Stub.Options(server));

        var response = await client.GetResourcesAsync();
        var report = SyncChecks.Check(response, timeProvider: Time);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Single().LeafUserId, Is.EqualTo(Guid.Empty));
            Assert.That(report.Findings.Select(f => (f.Code, f.LeafUserId)), Is.EqualTo(new[] { (SyncFindingCode.NoFields, (Guid?)null) }));
        });
    }

    private static IEnumerable<TestCaseData> DocumentedBounds()
    {
        static TestCaseData Case(string name, Action<LeafClientOptions> set, bool accepted) => new TestCaseData(set, accepted).SetArgDisplayNames(name);

        yield return Case("https root", o => o.BaseAddress = new Uri("https://leaf.example/api"), true);
        yield return Case("user and password", o => o.BaseAddress = new Uri("https://user:pw@leaf.example"), false);
        yield return Case("query", o => o.BaseAddress = new Uri("https://leaf.example/?tenant=1"), false);
        yield return Case("fragment", o => o.BaseAddress = new Uri("https://leaf.example/#top"), false);
        yield return Case("http loopback", o => o.BaseAddress = new Uri("http://127.0.0.1:5000"), true);
        yield return Case("http elsewhere", o => o.BaseAddress = new Uri("http://leaf.example"), false);
        yield return Case("MaxRetries 10", o => o.MaxRetries = 10, true);
        yield return Case("MaxRetries 11", o => o.MaxRetries = 11, false);
        yield return Case("RetryBaseDelay 1 min", o => o.RetryBaseDelay = TimeSpan.FromMinutes(1), true);
        yield return Case("RetryBaseDelay over 1 min", o => o.RetryBaseDelay = TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1), false);
        yield return Case("time-outs 10 ms", o => (o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)), true);
        yield return Case("AttemptTimeout under 10 ms", o => o.AttemptTimeout = TimeSpan.FromMilliseconds(9), false);
        yield return Case("time-outs 24 h", o => (o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.FromHours(24), TimeSpan.FromHours(24)), true);
        yield return Case("TotalTimeout over 24 h", o => o.TotalTimeout = TimeSpan.FromHours(24) + TimeSpan.FromTicks(1), false);
        yield return Case("AttemptTimeout over TotalTimeout", o => (o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20)), false);
    }

    // LeafClientOptions' XML docs: what BaseAddress must be, and each resilience setting's bounds.
    [TestCaseSource(nameof(DocumentedBounds))]
    public void The_documented_bounds_of_the_options_are_the_ones_enforced(Action<LeafClientOptions> set, bool accepted)
    {
        var options = new LeafClientOptions { AccessToken = "token-r8-bounds" };
        set(options);

        if (accepted)
        {
            Assert.That(() => new IntegrationsClient(options).Dispose(), Throws.Nothing);
        }
        else
        {
            Assert.That(() => new IntegrationsClient(options).Dispose(), Throws.ArgumentException);
        }
    }

    // FakeLeafServer.Seed and Add: an unknown provider with a null ProviderName (read as empty since Round11Newcomer) is
    // one of the summaries Leaf could not send, and nothing is seeded.
    [Test]
    public void Seed_and_Add_refuse_a_null_ProviderName_on_an_unknown_provider_naming_the_summary()
    {
        using var server = FakeLeafServer.Start();
        var before = server.Summaries;
        SyncSummary[] summaries =
        [
            new SyncSummary { Provider = Provider.JohnDeere, LeafUserId = DemoUsers.Healthy, Fields = 1 },
            new SyncSummary { Provider = Provider.Unknown, ProviderName = null!, LeafUserId = DemoUsers.Healthy, Fields = 1 },
        ];

        Assert.Multiple(() =>
        {
            Assert.That(() => server.Seed(summaries), Throws.ArgumentException.With.Message.Contains("summaries[1]").And.Message.Contains("ProviderName is empty"));
            Assert.That(() => server.Add(summaries), Throws.ArgumentException.With.Message.Contains("summaries[1]"));
            Assert.That(server.Summaries, Is.EqualTo(before));
        });
    }
}
