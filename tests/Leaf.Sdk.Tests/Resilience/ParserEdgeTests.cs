using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>Parser edge cases met while reviewing and fuzzing it, pinned down with exact messages.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ParserEdgeTests
{
    [TestCase(10)]
    [TestCase(511)]
    [TestCase(512)]
    [TestCase(5000)]
    public async Task Valid_json_after_much_leading_white_space_parses(int spaces)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(new string(' ', spaces) + "\r\n\t" + LeafJson.DocumentedExample));

        var response = await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None);

        Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
    }

    [Test]
    public void A_body_of_nothing_but_white_space_is_an_empty_body()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(new string(' ', 2000)));

        Assert.That(async () => await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None),
            Throws.TypeOf<LeafApiException>().With.Message.Contains("empty body"));
    }

    [TestCase("{\"summaries\":[{\"provider\":\"JohnDeere\",\"leafUserId\":\"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b\",\"fields\":2147483648}]}", "'fields' must be a whole number")]
    [TestCase("{\"summaries\":[{\"provider\":\"JohnDeere\",\"growers\":1e400}]}", "'growers' must be a whole number")]
    [TestCase("{\"summaries\":{\"provider\":\"JohnDeere\"}}", "not a valid Sync Summary")]
    [TestCase("{\"summaries\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", "not a valid Sync Summary")]
    [TestCase("{\"summaries\":[{\"provider\":\"JohnDeere\",\"leafUserId\":\"not-a-uuid\"}]}", "'leafUserId' is not a UUID")]
    [TestCase("{\"message\":\"SUCCESS\",\"summaries\":[{\"provider\":\"JohnDe", "not a valid Sync Summary")]
    public void Malformed_bodies_say_what_was_wrong(string body, string expected)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));

        Assert.That(async () => await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None),
            Throws.TypeOf<LeafApiException>().With.Message.Contains(expected).And.Property(nameof(LeafApiException.ResponseExcerpt)).Not.Null);
    }
}
