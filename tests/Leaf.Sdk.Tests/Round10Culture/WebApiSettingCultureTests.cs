using Leaf.Sdk.Tests.Round7Samples;

namespace Leaf.Sdk.Tests.Round10Culture;

/// <summary>
/// The web API sample's start-up refusal quotes a number as the operator wrote it, whatever the machine's culture:
/// under sv-SE the culture writes -3 with U+2212 (a minus sign configuration cannot read back), under ar-SA with a
/// right-to-left mark before it, so the line no longer showed what to search the settings for. The SDK's own
/// messages were fixed the same way in round 7 (Round7Options/MessageCultureTests).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class WebApiSettingCultureTests
{
    [TestCase("sv_SE.UTF-8")]
    [TestCase("ar_SA.UTF-8")]
    [TestCase("fa_IR.UTF-8")]
    public async Task A_negative_minimum_is_quoted_as_written(string locale)
    {
        var run = await SampleProcess.RunAsync(
            SampleProcess.WebApi,
            ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["LANG"] = locale, ["LC_ALL"] = locale, ["SyncChecks__MinimumFields"] = "-3" },
            TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Stderr.Trim(), Is.EqualTo("error: invalid configuration: SyncChecks:MinimumFields is -3: use 0 or more."), run.ToString());
        });
    }
}
