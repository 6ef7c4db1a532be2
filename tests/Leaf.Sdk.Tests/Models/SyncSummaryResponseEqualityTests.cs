using System.Text;
using System.Text.Json;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Models;

/// <summary>
/// A response is a record, so users compare snapshots with == and print it: both must look at the summaries, not at
/// which list object holds them.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SyncSummaryResponseEqualityTests
{
    private static readonly Guid User = Guid.Parse("3fa85f64-5717-4562-b3fc-2c963f66afa6");

    private static SyncSummary Deere(int fields) => new() { Provider = Provider.JohnDeere, ProviderName = "JohnDeere", LeafUserId = User, Fields = fields };

    private static async Task<SyncSummaryResponse> Parse(string body)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        return await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None);
    }

    [TestCase(LeafJson.DocumentedExample)]
    [TestCase(LeafJson.ClimateWithoutGrowers)]
    [TestCase(LeafJson.OlderBareArray)]
    public async Task Two_parses_of_the_same_body_are_equal_and_hash_alike(string body)
    {
        var first = await Parse(body);
        var second = await Parse(body);

        Assert.Multiple(() =>
        {
            Assert.That(first == second, Is.True, "==");
            Assert.That(first.Equals((object)second), Is.True, "Equals(object)");
            Assert.That(first.GetHashCode(), Is.EqualTo(second.GetHashCode()));
        });
    }

    [Test]
    public void Responses_built_from_equal_summaries_are_equal()
    {
        var a = new SyncSummaryResponse { Message = "SUCCESS", Summaries = [Deere(1), Deere(2)] };
        var b = new SyncSummaryResponse { Message = "SUCCESS", Summaries = new List<SyncSummary> { Deere(1), Deere(2) }.AsReadOnly() };

        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(new HashSet<SyncSummaryResponse> { a, b }, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void A_change_in_message_order_count_or_any_summary_makes_them_differ()
    {
        var a = new SyncSummaryResponse { Message = "SUCCESS", Summaries = [Deere(1), Deere(2)] };

        Assert.Multiple(() =>
        {
            Assert.That(a, Is.Not.EqualTo(a with { Message = null }), "message");
            Assert.That(a, Is.Not.EqualTo(a with { Message = "Success" }), "the message's case: compared as a record compares strings, ordinally");
            Assert.That(a, Is.Not.EqualTo(a with { Summaries = [Deere(2), Deere(1)] }), "order");
            Assert.That(a, Is.Not.EqualTo(a with { Summaries = [Deere(1)] }), "count");
            Assert.That(a, Is.Not.EqualTo(a with { Summaries = [Deere(1), Deere(3)] }), "a count inside a summary");
            Assert.That(a.Equals(null), Is.False, "null");
            Assert.That(new SyncSummaryResponse { Summaries = [] }, Is.EqualTo(new SyncSummaryResponse()), "two empty responses");
        });
    }

    [Test]
    public void A_response_written_and_read_back_with_default_web_options_is_equal_to_the_original()
    {
        var original = new SyncSummaryResponse
        {
            Message = "SUCCESS",
            Summaries = [Deere(3) with { SyncReferenceTime = new DateTimeOffset(2023, 8, 30, 18, 39, 33, TimeSpan.Zero).AddTicks(2306120) }],
        };

        var json = JsonSerializer.Serialize(original, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<SyncSummaryResponse>(json, JsonSerializerOptions.Web);

        Assert.That(back, Is.EqualTo(original), json);
    }
}
