using Leaf.Sdk.Tests.Samples;

namespace Leaf.Sdk.Tests.Round7Samples;

/// <summary>The sync-summary sample's table and chart with provider names only Leaf chooses: brackets, non-ASCII, very long.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SyncSummaryOutputTests
{
    private static readonly DateTimeOffset Now = SyncSummarySampleTests.Now;
    private static readonly Guid User = Guid.Parse("5b7d1f3e-2c4a-4e8b-9f10-1a2b3c4d5e6f");

    private static string Render(params string[] providerNames)
    {
        var response = new SyncSummaryResponse
        {
            Message = "SUCCESS",
            Summaries = [.. providerNames.Select(name => new SyncSummary { Provider = Provider.Unknown, ProviderName = name, LeafUserId = User, Fields = 3, SyncReferenceTime = Now })],
        };
        return SyncSummarySampleTests.Render(response, User);
    }

    // Spectre reads a bar chart's labels as markup: "[beta]" is a style it does not know, and it throws.
    [TestCase("AgriSync [beta]")]
    [TestCase("[red]Deere[/]")]
    [TestCase("Open [")]
    [TestCase("Close ]")]
    public void A_provider_name_with_brackets_is_shown_as_is(string name)
    {
        var text = Render(name);

        Assert.That(text, Does.Contain(name).And.Contain("Fields per provider"));
    }

    [Test]
    public void Non_ascii_and_long_provider_names_are_shown()
    {
        var longName = new string('x', 150);

        var text = Render("Ñandú Agro", "農業データ", longName);

        Assert.That(text, Does.Contain("Ñandú Agro").And.Contain("農業データ").And.Contain("3 summaries."));
    }
}
