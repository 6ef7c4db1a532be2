using static Leaf.Sdk.Tests.TestSupport.SyncFixture;

namespace Leaf.Sdk.Tests.Round7Checks;

/// <summary>SyncFinding.ToString for the provider names Leaf can send: none, blank, raw.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class FindingTextTests
{
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\t")]
    public void A_provider_with_a_blank_name_prints_no_blank_before_the_colon(string providerName)
    {
        var nameless = new SyncSummary { Provider = Provider.Unknown, ProviderName = providerName, LeafUserId = User, Fields = 3, SyncReferenceTime = Now };

        var line = CheckUser(Response(nameless)).Findings.Single().ToString();

        Assert.That(line, Does.StartWith("Info UnknownProvider: An unnamed provider is a provider"));
    }

    [Test]
    public void A_raw_name_is_printed_as_Leaf_sent_it()
    {
        var cnhi = Summary(Provider.CNHI, 1, 1, 0) with { ProviderName = "CNHi" };

        Assert.That(CheckUser(Response(cnhi)).Findings.Single().ToString(), Does.StartWith("Error NoFields CNHi: CNHI (AFS Connect - Legacy) reports 0 fields"));
    }
}
