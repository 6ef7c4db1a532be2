using System.Globalization;
using System.Text;

namespace Leaf.Sdk;

/// <summary>The result of <see cref="SyncChecks.Check(SyncSummaryResponse, SyncExpectations?, TimeProvider?)"/>: the findings, most serious first.</summary>
public sealed class SyncReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="response">The response that was checked.</param>
    /// <param name="leafUserId">The Leaf user checked, or <see langword="null"/> when every user in the response was.</param>
    /// <param name="findings">The findings.</param>
    /// <param name="checkedAt">When the check ran.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    internal SyncReport(SyncSummaryResponse response, Guid? leafUserId, IEnumerable<SyncFinding> findings, DateTimeOffset checkedAt)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(findings);
        Response = response;
        LeafUserId = leafUserId;
        CheckedAt = checkedAt;

        // A stable order: most serious first, then as found.
        Findings = [.. findings.Select((f, i) => (f, i)).OrderByDescending(x => x.f.Severity).ThenBy(x => x.i).Select(x => x.f)];
    }

    /// <summary>The Leaf user checked, or <see langword="null"/> when every user in the response was.</summary>
    public Guid? LeafUserId { get; }

    /// <summary>
    /// The findings, most serious first; empty when nothing was found. Within one severity the order is stable: user by
    /// user in the order the response names them, each user's missing expected providers (in the order of the
    /// <see cref="Provider"/> enum) before its summaries, and the summaries in the response's order. An identical
    /// finding (from a summary Leaf sent twice) is listed once.
    /// </summary>
    public IReadOnlyList<SyncFinding> Findings { get; }

    /// <summary>The response that was checked.</summary>
    public SyncSummaryResponse Response { get; }

    /// <summary>When the check ran, by the <see cref="TimeProvider"/> it was given.</summary>
    public DateTimeOffset CheckedAt { get; }

    /// <summary>The most serious finding's severity, or <see langword="null"/> when there are no findings.</summary>
    public SyncFindingSeverity? HighestSeverity => Findings.Count == 0 ? null : Findings[0].Severity;

    /// <summary>Whether any finding is an error.</summary>
    public bool HasErrors => HighestSeverity == SyncFindingSeverity.Error;

    /// <summary>Whether any finding is a warning.</summary>
    public bool HasWarnings => Findings.Any(f => f.Severity == SyncFindingSeverity.Warning);

    /// <summary>Whether there is no error and no warning (information alone is healthy).</summary>
    public bool IsHealthy => HighestSeverity is null or SyncFindingSeverity.Info;

    /// <summary>
    /// The report as text for a log or a console: a first line with who was checked, when, and how many errors,
    /// warnings and information findings there are, then one line per finding, most serious first.
    /// </summary>
    /// <returns>The text, with no new line at the end.</returns>
    /// <example><c>Sync check of Leaf user 1111... at 2026-11-26 12:00 UTC: 1 error, 0 warnings, 0 info.</c></example>
    public override string ToString()
    {
        var who = LeafUserId is { } id ? $"Leaf user {id}" : "every Leaf user in the response";
        var errors = Findings.Count(f => f.Severity == SyncFindingSeverity.Error);
        var warnings = Findings.Count(f => f.Severity == SyncFindingSeverity.Warning);
        var infos = Findings.Count - errors - warnings;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Sync check of {who} at {CheckedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC: ");
        text.Append(Findings.Count == 0
            ? "no findings."
            : string.Create(CultureInfo.InvariantCulture, $"{errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}, {infos} info."));
        foreach (var finding in Findings)
        {
            text.Append('\n').Append(finding);
        }

        return text.ToString();
    }
}
