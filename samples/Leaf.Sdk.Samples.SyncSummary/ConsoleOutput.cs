using Leaf.Sdk;
using Spectre.Console;

namespace LeafSyncSummary;

/// <summary>The people-facing output: a table, fields per provider as a bar chart, and one user's providers side by side.</summary>
internal static class ConsoleOutput
{
    private static readonly Color[] Palette = [Color.Green, Color.Blue, Color.Aqua, Color.Yellow, Color.Fuchsia, Color.Orange1, Color.Lime, Color.Teal];

    public static void Render(IAnsiConsole console, SyncSummaryResponse response, Guid? user, DateTimeOffset now, TimeZoneInfo zone)
    {
        var rows = SummaryTable.Rows(response, now, zone);
        if (rows.Count == 0)
        {
            console.WriteLine("Leaf has no sync summary for this query: no provider connected, or nothing synced yet.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("Sync Summary");
        table.AddColumn("Provider");
        table.AddColumn("Leaf user");
        table.AddColumn(new TableColumn("Growers").RightAligned());
        table.AddColumn(new TableColumn("Farms").RightAligned());
        table.AddColumn(new TableColumn("Fields").RightAligned());
        table.AddColumn("Last sync");
        foreach (var row in rows)
        {
            table.AddRow(
                new Text(row.Provider),
                new Text(row.LeafUserId),
                Count(row.Growers),
                Count(row.Farms),
                Count(row.Fields),
                new Text(row.LastSync));
        }

        console.Write(table);
        console.WriteLine();

        var chart = new BarChart().Label("Fields per provider").LeftAlignLabel().Width(Math.Min(80, console.Profile.Width));
        var fieldsPerProvider = response.Summaries
            .GroupBy(SyncComparison.ColumnName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Name: g.Key, Fields: g.Sum(s => s.Fields ?? 0)))
            .OrderByDescending(x => x.Fields)
            .ThenBy(x => x.Name, StringComparer.OrdinalIgnoreCase);
        var colour = 0;
        foreach (var (name, fields) in fieldsPerProvider)
        {
            // Spectre reads chart labels as markup, and Leaf names a provider this SDK does not know: "[beta]" must show, not throw.
            chart.AddItem(Markup.Escape(name), fields, Palette[colour++ % Palette.Length]);
        }

        console.Write(chart);
        console.WriteLine();

        if (user is { } id)
        {
            console.Write(new Text($"Leaf user {id}: providers side by side\n", new Style(decoration: Decoration.Bold)));
            console.Write(new Text(SyncComparison.Create(response, id).ToString()));
            console.WriteLine();
        }

        console.WriteLine($"{rows.Count} {(rows.Count == 1 ? "summary" : "summaries")}. {SummaryTable.NotApplicable} = the provider has no such level; {SummaryTable.Missing} = it has the level but Leaf did not report it.");
    }

    private static Text Count(string cell) => cell switch
    {
        SummaryTable.NotApplicable => new Text(cell, new Style(Color.Grey)),
        SummaryTable.Missing => new Text(cell, new Style(Color.Yellow)),
        "0" => new Text(cell, new Style(Color.Red)),
        _ => new Text(cell),
    };
}
