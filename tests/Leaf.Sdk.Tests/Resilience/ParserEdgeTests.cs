using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// Parser edge cases met while reviewing and fuzzing it, pinned down with exact messages, for both ways a body is
/// read: whole, when its length is known and small, and streamed, when it is not.
/// </summary>
[TestFixture(Framing.Sized)]
[TestFixture(Framing.Unsized)]
[Parallelizable(ParallelScope.All)]
public sealed class ParserEdgeTests(ParserEdgeTests.Framing framing)
{
    public enum Framing
    {
        /// <summary>With a Content-Length under the small-body limit: read whole, parsed in one pass.</summary>
        Sized,

        /// <summary>Without a Content-Length (chunked, or decompressed): streamed.</summary>
        Unsized,
    }

    [TestCase(10)]
    [TestCase(511)]
    [TestCase(512)]
    [TestCase(5000)]
    public async Task Valid_json_after_much_leading_white_space_parses(int spaces)
    {
        using var content = Content(Encoding.UTF8.GetBytes(new string(' ', spaces) + "\r\n\t" + LeafJson.DocumentedExample));

        var response = await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None);

        Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
    }

    // The envelope's keys match in any case (the serializer's setting); a summary's keys must too, or a "Provider" key
    // would be dropped as an extra key and the summary read as an unnamed provider with nothing in it.
    [TestCase("Provider", "LeafUserId", "Growers", "Farms", "Fields", "SyncReferenceTime")]
    [TestCase("PROVIDER", "LEAFUSERID", "GROWERS", "FARMS", "FIELDS", "SYNCREFERENCETIME")]
    [TestCase("provider", "leafuserid", "growers", "farms", "fields", "syncreferencetime")]
    [TestCase("provid\u0065r", "leafUserId", "growers", "farm\u0073", "fields", "syncReferenceTime")]
    public async Task Summary_keys_match_in_any_case(string provider, string user, string growers, string farms, string fields, string syncTime)
    {
        var body = $$"""{"Message":"SUCCESS","Summaries":[{"{{provider}}":"JohnDeere","{{user}}":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","{{growers}}":1,"{{farms}}":2,"{{fields}}":3,"{{syncTime}}":"2026-01-01T00:00:00Z","providerId":"x"}]}""";
        using var content = Content(Encoding.UTF8.GetBytes(body));

        var summary = (await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None)).Summaries.Single();

        Assert.Multiple(() =>
        {
            Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(summary.LeafUserId, Is.EqualTo(Guid.Parse("7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b")));
            Assert.That((summary.Growers, summary.Farms, summary.Fields), Is.EqualTo((1, 2, 3)));
            Assert.That(summary.SyncReferenceTime, Is.EqualTo(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        });
    }

    [Test]
    public void A_body_of_nothing_but_white_space_is_an_empty_body()
    {
        using var content = Content(Encoding.UTF8.GetBytes(new string(' ', 2000)));

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
        using var content = Content(Encoding.UTF8.GetBytes(body));

        Assert.That(async () => await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None),
            Throws.TypeOf<LeafApiException>().With.Message.Contains(expected).And.Property(nameof(LeafApiException.ResponseExcerpt)).Not.Null);
    }

    [Test]
    public async Task A_body_over_the_small_body_limit_streams_and_parses()
    {
        var one = LeafJson.DocumentedExample[LeafJson.DocumentedExample.IndexOf("{\"provider", StringComparison.Ordinal)..^2];
        var body = Encoding.UTF8.GetBytes($"{{\"message\":\"SUCCESS\",\"summaries\":[{string.Join(',', Enumerable.Repeat(one, 200))}]}}");
        Assert.That(body, Has.Length.GreaterThan(SyncSummaryParser.SmallBodyLimit), "the body is large enough to take the streaming path");
        using var content = Content(body);

        var response = await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None);

        Assert.That(response.Summaries, Has.Count.EqualTo(200));
    }

    [Test]
    public void A_body_that_ends_before_its_content_length_is_not_a_valid_summary()
    {
        var body = Encoding.UTF8.GetBytes(LeafJson.DocumentedExample);
        using var content = new StreamContent(new MemoryStream(body, 0, body.Length / 2, writable: false));
        content.Headers.ContentLength = body.Length;

        Assert.That(async () => await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None),
            Throws.TypeOf<LeafApiException>().With.Message.Contains("not a valid Sync Summary"));
    }

    private HttpContent Content(byte[] body) => framing == Framing.Sized
        ? new ByteArrayContent(body)
        : new StreamContent(new UnseekableStream(body));

    // StreamContent cannot tell the length of a stream that cannot seek, as with a chunked or decompressed body.
    private sealed class UnseekableStream(byte[] body) : MemoryStream(body, writable: false)
    {
        public override bool CanSeek => false;
    }
}
