using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>Summaries and a clock for the sync-check tests; immutable, so parallel tests share nothing.</summary>
internal static class SyncFixture
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    public static readonly Guid User = new("11111111-2222-4333-8444-555555555555");
    public static readonly Guid OtherUser = new("99999999-2222-4333-8444-555555555555");

    public static FakeTimeProvider Clock() => new(Now);

    public static SyncSummary Summary(Provider provider, int? growers, int? farms, int? fields, TimeSpan? age = null, Guid? user = null) => new()
    {
        Provider = provider,
        ProviderName = provider.GetInfo().ApiName,
        LeafUserId = user ?? User,
        Growers = growers,
        Farms = farms,
        Fields = fields,
        SyncReferenceTime = Now - (age ?? TimeSpan.FromMinutes(10)),
    };

    public static SyncSummaryResponse Response(params SyncSummary[] summaries) => new() { Message = "SUCCESS", Summaries = summaries };

    public static SyncReport CheckUser(SyncSummaryResponse response, SyncExpectations? expectations = null) =>
        Leaf.Sdk.SyncChecks.CheckUser(response, User, expectations, Clock());

    public static SyncReport CheckAll(SyncSummaryResponse response, SyncExpectations? expectations = null) =>
        Leaf.Sdk.SyncChecks.Check(response, expectations, Clock());
}
