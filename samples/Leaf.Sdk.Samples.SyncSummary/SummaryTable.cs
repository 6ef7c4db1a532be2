using System.Globalization;
using System.Text;
using Leaf.Sdk;

namespace LeafSyncSummary;

/// <summary>One printed row: a provider's counts for one Leaf user.</summary>
/// <param name="Provider">The provider's display name (or its raw name when unknown).</param>
/// <param name="LeafUserId">The Leaf user.</param>
/// <param name="Growers">The grower count, or "n/a" when the provider has no grower level.</param>
/// <param name="Farms">The farm count, or "n/a".</param>
/// <param name="Fields">The field count, or "n/a".</param>
/// <param name="LastSync">The last sync in local time and how long ago, or "never".</param>
public sealed record SummaryRow(string Provider, string LeafUserId, string Growers, string Farms, string Fields, string LastSync);

/// <summary>Turns a Sync Summary into rows and text: pure, so tests can pin it down.</summary>
public static class SummaryTable
{
    /// <summary>The "not applicable" mark for a level the provider does not have (the library's, so both agree).</summary>
    public const string NotApplicable = SyncComparison.NotApplicable;

    /// <summary>The mark for a level the provider has but Leaf did not report.</summary>
    public const string Missing = SyncComparison.Missing;

    private static readonly string[] Headers = ["Provider", "Leaf user", "Growers", "Farms", "Fields", "Last sync"];

    /// <summary>Rows sorted by Leaf user, then provider.</summary>
    /// <param name="response">The response to show.</param>
    /// <param name="now">The present moment.</param>
    /// <param name="zone">The time zone to show sync times in.</param>
    /// <returns>The rows.</returns>
    public static IReadOnlyList<SummaryRow> Rows(SyncSummaryResponse response, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(response);
        return [.. response.Summaries
            .OrderBy(s => s.LeafUserId)
            .ThenBy(SyncComparison.ColumnName, StringComparer.OrdinalIgnoreCase)
            .Select(s => Row(s, now, zone))];
    }

    /// <summary>One row. A count the provider's level does not exist for is "n/a", never 0.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="now">The present moment.</param>
    /// <param name="zone">The time zone to show the sync time in.</param>
    /// <returns>The row.</returns>
    public static SummaryRow Row(SyncSummary summary, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var info = summary.Provider.GetInfo();
        var name = summary.Provider == Provider.Unknown ? $"{summary.ProviderName} (unknown to this SDK)" : info.DisplayName;
        return new SummaryRow(
            name,
            summary.LeafUserId.ToString("D", CultureInfo.InvariantCulture),
            SyncComparison.Cell(summary, FmisLevels.Grower),
            SyncComparison.Cell(summary, FmisLevels.Farm),
            SyncComparison.Cell(summary, FmisLevels.Field),
            LastSync(summary.SyncReferenceTime, now, zone));
    }

    /// <summary>"2026-11-26 14:03 (12 minutes ago)" in <paramref name="zone"/>, or "never".</summary>
    /// <param name="time">The sync time.</param>
    /// <param name="now">The present moment.</param>
    /// <param name="zone">The time zone.</param>
    /// <returns>The text.</returns>
    public static string LastSync(DateTimeOffset? time, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (time is not { } t)
        {
            return "never";
        }

        var local = TimeZoneInfo.ConvertTime(t, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd HH:mm} ({Ago(now - t)})");
    }

    /// <summary>"just now", "5 minutes ago", "3 hours ago", "9 days ago", "in the future".</summary>
    /// <param name="elapsed">The time since.</param>
    /// <returns>The text.</returns>
    public static string Ago(TimeSpan elapsed) => elapsed switch
    {
        { TotalSeconds: < -60 } => "in the future",
        { TotalMinutes: < 1 } => "just now",
        { TotalMinutes: < 2 } => "1 minute ago",
        { TotalHours: < 1 } => $"{(int)elapsed.TotalMinutes} minutes ago",
        { TotalHours: < 2 } => "1 hour ago",
        { TotalDays: < 1 } => $"{(int)elapsed.TotalHours} hours ago",
        { TotalDays: < 2 } => "1 day ago",
        _ => $"{(int)elapsed.TotalDays} days ago",
    };

    /// <summary>Formats rows as an aligned plain-text table.</summary>
    /// <param name="rows">The rows.</param>
    /// <returns>The table, one line per row after a header line.</returns>
    public static string Format(IReadOnlyList<SummaryRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cells = rows.Select(r => new[] { r.Provider, r.LeafUserId, r.Growers, r.Farms, r.Fields, r.LastSync }).Prepend(Headers).ToList();
        var widths = Enumerable.Range(0, Headers.Length).Select(i => cells.Max(c => c[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (line, index) in cells.Select((c, i) => (c, i)))
        {
            text.Append(string.Join("  ", line.Select((cell, i) => i is >= 2 and <= 4 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd()).AppendLine();
            if (index == 0)
            {
                text.AppendJoin("  ", widths.Select(w => new string('-', w))).AppendLine();
            }
        }

        return text.ToString();
    }
}
