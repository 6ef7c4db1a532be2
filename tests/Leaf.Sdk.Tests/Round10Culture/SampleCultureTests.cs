using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Leaf.Sdk.Tests.Round7Samples;

namespace Leaf.Sdk.Tests.Round10Culture;

/// <summary>
/// The console samples, and the embedded FakeLeafServer that answers them, run in a process whose culture comes from
/// the environment (LANG, LC_ALL), as on a user's machine, or in globalization-invariant mode, as in a trimmed container:
/// what they print and the JSON the fake serves must not change. In-process tests cannot show the fake's side, since its
/// requests are handled on threads that take the process's culture, not the test's.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed partial class SampleCultureTests
{
    private static readonly Dictionary<string, string> Baseline = new() { ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8" };

    private static Dictionary<string, string> Environment(string setting) => setting == "invariant"
        ? new() { ["LANG"] = "tr_TR.UTF-8", ["LC_ALL"] = "tr_TR.UTF-8", ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" }
        : new() { ["LANG"] = setting, ["LC_ALL"] = setting };

    [TestCase("th_TH.UTF-8")]
    [TestCase("ar_SA.UTF-8")]
    [TestCase("de_CH.UTF-8")]
    [TestCase("invariant")]
    public async Task The_json_output_is_the_same_and_its_times_are_ISO_8601_UTC(string setting)
    {
        var runs = await Task.WhenAll(
            SampleProcess.RunAsync(SampleProcess.SyncSummary, ["--json"], Baseline),
            SampleProcess.RunAsync(SampleProcess.SyncSummary, ["--json"], Environment(setting)));

        Assert.That(runs.Select(r => r.ExitCode), Is.All.Zero, string.Join("\n", runs.Select(r => r.ToString())));
        var (expected, expectedTimes) = Read(runs[0].Stdout);
        var (actual, times) = Read(runs[1].Stdout);
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected), runs[1].ToString());
            Assert.That(times, Has.Count.EqualTo(expectedTimes.Count).And.Count.GreaterThan(0), runs[1].ToString());
            Assert.That(times, Is.All.Match(IsoUtc()), runs[1].ToString());
            // Demo data is synced within the last days: a Buddhist, Persian or Hijri year would be far off.
            Assert.That(
                times.Select(t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)),
                Is.All.InRange(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddMinutes(5)),
                runs[1].ToString());
        });
    }

    [TestCase("tr_TR.UTF-8")]
    [TestCase("fa_IR.UTF-8")]
    public async Task The_verify_connection_report_reads_the_same(string setting)
    {
        string[] args = ["--expect", "climatefieldview,JOHNDEERE,Stara", "--min-fields", "30", "--max-age", "1.5h"];
        var runs = await Task.WhenAll(
            SampleProcess.RunAsync(SampleProcess.VerifyConnection, args, Baseline),
            SampleProcess.RunAsync(SampleProcess.VerifyConnection, args, Environment(setting)));

        Assert.Multiple(() =>
        {
            Assert.That(runs[1].ExitCode, Is.EqualTo(runs[0].ExitCode).And.EqualTo(2), runs[1].ToString());
            Assert.That(Normalised(runs[1].Stdout), Is.EqualTo(Normalised(runs[0].Stdout)), runs[1].ToString());
            Assert.That(runs[1].Stdout, Does.Contain("ProviderMissing Stara").And.Contain("last sync within 01:30:00"), runs[1].ToString());
        });
    }

    // The summaries without their sync times (which each process takes from its own clock), and the times apart.
    private static (string Summaries, List<string> Times) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var times = new List<string>();
        var rest = new List<string>();
        foreach (var summary in document.RootElement.GetProperty("summaries").EnumerateArray())
        {
            foreach (var property in summary.EnumerateObject())
            {
                if (property.NameEquals("syncReferenceTime"))
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        times.Add(property.Value.GetString()!);
                    }
                }
                else
                {
                    rest.Add($"{property.Name}={property.Value.GetRawText()}");
                }
            }
        }

        return (string.Join(",", rest), times);
    }

    // The port of the embedded fake and the minute the demo data was seeded differ from run to run.
    private static string Normalised(string text) => Minute().Replace(Port().Replace(text, "127.0.0.1:<port>"), "<yyyy-MM-dd HH:mm>");

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$")]
    private static partial Regex IsoUtc();

    [GeneratedRegex(@"127\.0\.0\.1:\d+")]
    private static partial Regex Port();

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d")]
    private static partial Regex Minute();
}
