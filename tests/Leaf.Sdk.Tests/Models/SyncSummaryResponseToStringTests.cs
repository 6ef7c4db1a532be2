using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Models;

/// <summary>A response printed to a log or a debugger shows its summaries, as the record it is would suggest.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SyncSummaryResponseToStringTests
{
    private static async Task<SyncSummaryResponse> Parse(string body)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        return await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None);
    }

    [Test]
    public async Task ToString_shows_the_summaries_not_the_type_of_the_list()
    {
        var response = await Parse(LeafJson.DocumentedExample);

        var text = response.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("System.Collections"));
            Assert.That(text, Does.StartWith("SyncSummaryResponse { Message = SUCCESS, Summaries = [ SyncSummary { Provider = JohnDeere"));
            Assert.That(text, Does.EndWith("} ] }"));
        });
    }

    [Test]
    public void ToString_of_an_empty_response_shows_an_empty_list()
    {
        Assert.That(new SyncSummaryResponse().ToString(), Is.EqualTo("SyncSummaryResponse { Message = , Summaries = [ ] }"));
    }
}
