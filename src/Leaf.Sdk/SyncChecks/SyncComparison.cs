using System.Globalization;
using System.Text;

namespace Leaf.Sdk;

/// <summary>
/// One Leaf user's providers side by side: growers, farms, fields and the last sync per provider, with
/// <see cref="NotApplicable"/> where the provider has no such level and <see cref="Missing"/> where it has the level
/// but Leaf did not report it.
/// </summary>
/// <example>
/// <code>
/// Console.Write(SyncComparison.Create(response, leafUserId));
/// //                  Climate FieldView  John Deere
/// // Growers          n/a                3
/// // ...
/// </code>
/// </example>
public sealed class SyncComparison
{
    /// <summary>The mark for a level the provider does not have.</summary>
    public const string NotApplicable = "n/a";

    /// <summary>The mark for a level the provider has but Leaf did not report.</summary>
    public const string Missing = "missing";

    /// <summary>The heading of a summary that came without a provider name.</summary>
    public const string Unnamed = "(unnamed)";

    private static readonly (string Label, FmisLevels Level)[] Levels =
        [("Growers", FmisLevels.Grower), ("Farms", FmisLevels.Farm), ("Fields", FmisLevels.Field)];

    private SyncComparison(Guid leafUserId, IReadOnlyList<SyncSummary> summaries)
    {
        LeafUserId = leafUserId;
        Summaries = summaries;
    }

    /// <summary>The Leaf user compared.</summary>
    public Guid LeafUserId { get; }

    /// <summary>
    /// The user's summaries, one per column, ordered by provider name. A summary Leaf sent twice is one column, as it
    /// is one set of findings in a <see cref="SyncReport"/>; two different summaries of one provider are two.
    /// </summary>
    public IReadOnlyList<SyncSummary> Summaries { get; }

    /// <summary>Builds the comparison of <paramref name="leafUserId"/>'s providers in <paramref name="response"/>.</summary>
    /// <param name="response">The Sync Summary.</param>
    /// <param name="leafUserId">The Leaf user; other users' summaries are left out.</param>
    /// <returns>The comparison; with no columns when the user has no summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="leafUserId"/> is <see cref="Guid.Empty"/>, as for <see cref="SyncChecks.CheckUser"/>.
    /// </exception>
    public static SyncComparison Create(SyncSummaryResponse response, Guid leafUserId)
    {
        ArgumentNullException.ThrowIfNull(response);
        SyncChecks.ThrowIfEmpty(leafUserId);
        return new SyncComparison(
            leafUserId,
            // Distinct: a summary Leaf sent twice was two identical columns, where the sync checks report it once.
            [.. response.Summaries.Where(s => s is not null && s.LeafUserId == leafUserId).Distinct().OrderBy(ColumnName, StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>
    /// The column heading of a summary: the provider's display name, its raw name when this SDK does not know it, or
    /// <see cref="Unnamed"/> when Leaf sent no name.
    /// </summary>
    /// <param name="summary">The summary.</param>
    /// <returns>The heading.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is <see langword="null"/>.</exception>
    public static string ColumnName(SyncSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Providers.IsKnown(summary.Provider) ? summary.Provider.GetInfo().DisplayName
            : string.IsNullOrWhiteSpace(summary.ProviderName) ? Unnamed
            : summary.ProviderName;
    }

    /// <summary>The cell for one level: the count, <see cref="NotApplicable"/> or <see cref="Missing"/>.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="level">Exactly one of <see cref="FmisLevels.Grower"/>, <see cref="FmisLevels.Farm"/> or <see cref="FmisLevels.Field"/>.</param>
    /// <returns>The text of the cell.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not exactly one level.</exception>
    public static string Cell(SyncSummary summary, FmisLevels level)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.CountAt(level)?.ToString(CultureInfo.InvariantCulture)
            ?? (summary.Provider.GetInfo().Exposes(level) ? Missing : NotApplicable);
    }

    /// <summary>The comparison as an aligned text table: one column per provider, one row per level and the last sync (UTC).</summary>
    /// <returns>The table, ending with a new line.</returns>
    public override string ToString()
    {
        var rows = new List<string[]> { Row(string.Empty, ColumnName) };
        rows.AddRange(Levels.Select(l => Row(l.Label, s => Cell(s, l.Level))));
        rows.Add(Row("Last sync (UTC)", s => s.SyncReferenceTime?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never"));

        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendJoin("  ", row.Select((cell, i) => cell.PadRight(widths[i])));
            TrimEnd(text);
            text.Append('\n');
        }

        return text.ToString();
    }

    private string[] Row(string label, Func<SyncSummary, string> cell) => [label, .. Summaries.Select(cell)];

    private static void TrimEnd(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }
    }
}
