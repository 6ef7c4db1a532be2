using System.Text.Json;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Tests.Round15Lead;

/// <summary>
/// The SDK's summary converter only reads: its writer was code nothing ran (round 15's mutation testing found its 13
/// mutants uncovered), and now says so if anything ever tries.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SummaryWriteTests
{
    [Test]
    public void Writing_a_summary_through_the_SDK_s_context_is_refused_with_a_reason()
    {
        var summary = new SyncSummary { Provider = Provider.JohnDeere, ProviderName = "JohnDeere", Fields = 1 };

        var error = Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(summary, LeafJsonContext.Default.SyncSummary));

        Assert.That(error!.Message, Does.Contain("does not write them"));
    }
}
