namespace Leaf.Sdk.Testing;

/// <summary>
/// Realistic Sync Summary data for demos and tests: three Leaf users, every provider, each provider's levels as in
/// Leaf's FMIS table, and every finding of <c>SyncChecks</c> that needs no expectations of yours, except
/// <c>NoSummaries</c>: one stale sync, one missing level, one empty level, one empty connection, one count at a level
/// the provider does not expose, one missing sync time and one unknown provider.
/// </summary>
public static class DemoData
{
    // Raven's sync, the oldest, is nine days back.
    private static readonly TimeSpan Oldest = TimeSpan.FromDays(9);

    /// <summary>The demo summaries, with sync times relative to <paramref name="now"/>.</summary>
    /// <param name="now">The present moment, from the server's clock.</param>
    /// <returns>A new list of summaries.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="now"/> is less than nine days after <see cref="DateTimeOffset.MinValue"/> (as
    /// <see langword="default"/> is), which leaves no room for the oldest sync.
    /// </exception>
    public static IReadOnlyList<SyncSummary> Create(DateTimeOffset now)
    {
        // Before: "The added or subtracted value results in an un-representable DateTime (Parameter 'value')", a
        // parameter of DateTimeOffset's, not this method's.
        if (!HasRoomBefore(now))
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, "The demo data's oldest sync is nine days before now: pass the present moment (TimeProvider.GetUtcNow()), not default(DateTimeOffset).");
        }

        return Summaries(now);
    }

    /// <summary>Whether the oldest demo sync, nine days before <paramref name="now"/>, is a time the calendar has.</summary>
    internal static bool HasRoomBefore(DateTimeOffset now) => Math.Min(now.UtcTicks, now.Ticks) >= Oldest.Ticks;

    private static IReadOnlyList<SyncSummary> Summaries(DateTimeOffset now) =>
    [
        Summary(Provider.JohnDeere, DemoUsers.Healthy, 3, 7, 142, now.AddMinutes(-12)),
        Summary(Provider.ClimateFieldView, DemoUsers.Healthy, null, 4, 86, now.AddMinutes(-40)),
        Summary(Provider.CNHIFieldOps, DemoUsers.Healthy, 2, 3, 57, now.AddMinutes(-25)),
        Summary(Provider.Trimble, DemoUsers.Healthy, 1, 2, 31, now.AddMinutes(-5)),

        Summary(Provider.CNHI, DemoUsers.Stale, 1, 2, 18, now.AddHours(-3)),
        Summary(Provider.Raven, DemoUsers.Stale, 2, 2, 44, now.AddDays(-9)),
        Summary(Provider.AgVance, DemoUsers.Stale, 4, 6, 73, now.AddHours(-6)),
        Summary(Provider.Stara, DemoUsers.Stale, null, null, 12, now.AddHours(-2)),
        Summary(Provider.Sentera, DemoUsers.Stale, null, null, 9, now.AddHours(-1)),

        Summary(Provider.JohnDeere, DemoUsers.NeedsAttention, null, 3, 40, now.AddHours(-4)),
        Summary(Provider.Trimble, DemoUsers.NeedsAttention, 1, 1, 0, now.AddHours(-2)),
        Summary(Provider.ClimateFieldView, DemoUsers.NeedsAttention, null, 0, 25, now.AddHours(-3)),

        // Sentera has no farm level, and this summary has the older shape's missing sync time.
        new SyncSummary
        {
            Provider = Provider.Sentera,
            ProviderName = "Sentera",
            LeafUserId = DemoUsers.NeedsAttention,
            Farms = 2,
            Fields = 15,
        },
        new SyncSummary
        {
            Provider = Provider.Unknown,
            ProviderName = "Panorama",
            LeafUserId = DemoUsers.NeedsAttention,
            Growers = 1,
            Farms = 1,
            Fields = 6,
            SyncReferenceTime = now.AddHours(-1),
        },
    ];

    private static SyncSummary Summary(Provider provider, Guid user, int? growers, int? farms, int? fields, DateTimeOffset syncedAt) => new()
    {
        Provider = provider,
        ProviderName = provider.GetInfo().ApiName,
        LeafUserId = user,
        Growers = growers,
        Farms = farms,
        Fields = fields,

        // Leaf sends microseconds: keep the demo data as precise, and as UTC.
        SyncReferenceTime = new DateTimeOffset(syncedAt.UtcTicks - (syncedAt.UtcTicks % 10), TimeSpan.Zero),
    };
}
