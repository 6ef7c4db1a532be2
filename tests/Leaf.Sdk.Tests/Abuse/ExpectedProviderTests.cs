using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Abuse;

/// <summary>
/// Provider.Unknown, or a value outside the enum, among the expected providers is the caller's mistake, refused as
/// RequireAtLeast refuses it; it was reported as a finding about Leaf ("Unknown provider is expected ... but Leaf has no
/// summary for it"), with advice to reconnect credentials that cannot exist. CheckSyncAsync refuses it before calling.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ExpectedProviderTests
{
    private static readonly Guid User = Guid.Parse("3fa85f64-5717-4562-b3fc-2c963f66afa6");

    private static readonly SyncSummaryResponse Response = new()
    {
        Summaries = [new SyncSummary { Provider = Provider.JohnDeere, ProviderName = "JohnDeere", LeafUserId = User, Growers = 1, Farms = 1, Fields = 4, SyncReferenceTime = DateTimeOffset.UtcNow }],
    };

    [TestCase(Provider.Unknown)]
    [TestCase((Provider)77)]
    public void Check_and_CheckUser_refuse_an_expected_provider_that_is_not_known(Provider provider)
    {
        var expectations = new SyncExpectations { ExpectedProviders = { Provider.JohnDeere, provider } };

        Assert.Multiple(() =>
        {
            Assert.That(() => Leaf.Sdk.SyncChecks.Check(Response, expectations), Throws.ArgumentException.With.Property("ParamName").EqualTo("expectations").And.Message.Contains("ExpectedProviders"));
            Assert.That(() => Leaf.Sdk.SyncChecks.CheckUser(Response, User, expectations), Throws.ArgumentException.With.Property("ParamName").EqualTo("expectations").And.Message.Contains("ExpectedProviders"));
        });
    }

    [Test]
    public async Task CheckSyncAsync_refuses_it_before_any_request([Values] ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));
        var expectations = new SyncExpectations { ExpectedProviders = { Provider.Unknown } };

        var error = await Authentication.Expect.ThrowsKindOf<ArgumentException>(() => client.Client.CheckSyncAsync(User, expectations));

        Assert.That(error.ParamName, Is.EqualTo("expectations"));
        Assert.That(server.LogEntries, Is.Empty);
    }

    [Test]
    public void Known_expected_providers_are_still_checked()
    {
        var expectations = new SyncExpectations { ExpectedProviders = { Provider.JohnDeere, Provider.Stara } };

        var report = Leaf.Sdk.SyncChecks.CheckUser(Response, User, expectations);

        Assert.That(report.Findings.Select(f => (f.Code, f.Provider)), Is.EqualTo(new[] { (SyncFindingCode.ProviderMissing, Provider.Stara) }));
    }
}
