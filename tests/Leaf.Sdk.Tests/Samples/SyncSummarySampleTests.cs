using System.Text.Json;
using Leaf.Sdk.Testing;
using LeafSyncSummary;
using Spectre.Console;

namespace Leaf.Sdk.Tests.Samples;

/// <summary>The sync-summary sample's output, rendered from the demo data without a terminal.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SyncSummarySampleTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static SyncSummaryResponse Demo() => new() { Message = "SUCCESS", Summaries = DemoData.Create(Now) };

    internal static string Render(SyncSummaryResponse response, Guid? user)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        ConsoleOutput.Render(console, response, user, Now, TimeZoneInfo.Utc);
        return writer.ToString();
    }

    [Test]
    public void Console_output_has_the_table_the_chart_and_no_colour_codes()
    {
        var text = Render(Demo(), null);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("Sync Summary").And.Contain("Fields per provider"));
            Assert.That(text, Does.Contain("Panorama (unknown to this SDK)"));
            Assert.That(text, Does.Contain(SummaryTable.NotApplicable).And.Contain(SummaryTable.Missing));
            Assert.That(text, Does.Contain("John Deere").And.Contain("182"), "the chart sums fields per provider across users (142 + 40)");
            Assert.That(text, Does.Contain("14 summaries."));
            Assert.That(text, Does.Not.Contain("\u001b["));
            Assert.That(text, Does.Not.Contain("side by side"), "the comparison is for one user only");
        });
    }

    [Test]
    public void Console_output_for_one_user_adds_the_side_by_side_view()
    {
        var response = new SyncSummaryResponse { Summaries = [.. Demo().Summaries.Where(s => s.LeafUserId == DemoUsers.Healthy)] };

        var text = Render(response, DemoUsers.Healthy);

        Assert.That(text, Does.Contain($"Leaf user {DemoUsers.Healthy}: providers side by side"));
        Assert.That(text, Does.Contain(SyncComparison.Create(response, DemoUsers.Healthy).ToString().Split('\n')[1]));
    }

    [Test]
    public void Console_output_without_summaries_says_so()
    {
        Assert.That(Render(new SyncSummaryResponse(), null), Does.Contain("no sync summary"));
    }

    [Test]
    public void Json_output_is_one_document_with_null_for_absent_levels()
    {
        using var stream = new MemoryStream();

        JsonOutput.Write(stream, Demo(), fake: true);

        using var document = JsonDocument.Parse(stream.ToArray());
        var root = document.RootElement;
        var summaries = root.GetProperty("summaries").EnumerateArray().ToList();
        var climate = summaries.First(s => s.GetProperty("provider").GetString() == "ClimateFieldView");
        var panorama = summaries.Single(s => s.GetProperty("provider").GetString() == "Panorama");
        var sentera = summaries.First(s => s.GetProperty("provider").GetString() == "Sentera" && s.GetProperty("syncReferenceTime").ValueKind == JsonValueKind.Null);
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("source").GetString(), Is.EqualTo("fake"));
            Assert.That(summaries, Has.Count.EqualTo(14));
            Assert.That(climate.GetProperty("growers").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(climate.GetProperty("displayName").GetString(), Is.EqualTo("Climate FieldView"));
            Assert.That(panorama.GetProperty("knownProvider").GetBoolean(), Is.False);
            Assert.That(sentera.GetProperty("fields").GetInt32(), Is.EqualTo(15));
            Assert.That(climate.GetProperty("syncReferenceTime").GetString(), Does.EndWith("Z"));
        });
    }
}
