using Leaf.Sdk;

namespace LeafWebApi;

/// <summary>The body of GET /sync/{leafUserId}: the verdict, the summaries Leaf returned, and the findings.</summary>
/// <param name="LeafUserId">The Leaf user.</param>
/// <param name="Status">ok, warnings or errors.</param>
/// <param name="CheckedAt">When the check ran.</param>
/// <param name="Summaries">What Leaf returned for the user.</param>
/// <param name="Findings">The findings, most serious first.</param>
internal sealed record SyncResult(Guid LeafUserId, string Status, DateTimeOffset CheckedAt, IReadOnlyList<SyncSummary> Summaries, IReadOnlyList<SyncFinding> Findings)
{
    public static SyncResult From(SyncReport report, Guid leafUserId) => new(
        leafUserId,
        report.HasErrors ? "errors" : report.HasWarnings ? "warnings" : "ok",
        report.CheckedAt,
        report.Response.Summaries,
        report.Findings);
}
