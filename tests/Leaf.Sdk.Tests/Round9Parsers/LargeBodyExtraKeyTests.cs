using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>
/// A summary key the SDK does not know must never break a client (DESIGN §4), however large the answer. A body past
/// the small-body limit (an account-wide call: one summary per user and provider) streams, and while more of it is to
/// come the serializer hands the converter a reader over a block that is not the last, on which Utf8JsonReader.Skip
/// throws. Every such answer with one extra key in one summary failed as "a value has the wrong type".
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LargeBodyExtraKeyTests
{
    private static readonly string[] Extras = ["\"status\":\"SYNCED\"", "\"providerUserId\":null", "\"counts\":{\"machines\":3,\"files\":[1,2]}", "\"ok\":true", "\"n\":1.5"];

    [Test]
    public async Task An_extra_key_in_any_summary_of_a_large_body_is_skipped([ValueSource(nameof(Extras))] string extra, [Values] BodyPath path)
    {
        var body = Encoding.UTF8.GetBytes(Body(summaries: 100, extraEvery: 7, extra));
        if (path == BodyPath.Whole)
        {
            // Read whole only up to the limit: the same summaries, fewer of them.
            body = Encoding.UTF8.GetBytes(Body(summaries: 40, extraEvery: 7, extra));
        }

        var outcome = await BodyPaths.RunAsync(body, path);

        Assert.That(outcome.Kind, Is.EqualTo(OutcomeKind.Parsed), outcome.ToString());
        Assert.That(outcome.Response!.Summaries.Select(s => s.Fields), Is.All.EqualTo(100));
    }

    [Test]
    public async Task Through_the_client_a_large_answer_with_an_extra_key_reads([Values] ClientKind kind)
    {
        var json = Body(summaries: 120, extraEvery: 50, "\"status\":\"SYNCED\"");
        Assert.That(Encoding.UTF8.GetByteCount(json), Is.GreaterThan(SyncSummaryParser.SmallBodyLimit), "large enough to stream");
        using var server = Stub.Start();
        server.Resources(json);
        using var client = TestClient.Create(kind, Stub.Options(server));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(120));
    }

    private static string Body(int summaries, int extraEvery, string extra)
    {
        var one = LeafJson.DocumentedExample.Trim();
        one = one[one.IndexOf("{\"provider", StringComparison.Ordinal)..^2];
        var items = Enumerable.Range(0, summaries).Select(i => i % extraEvery == extraEvery - 1 ? one.Replace("\"growers\"", extra + ",\"growers\"", StringComparison.Ordinal) : one);
        return $"{{\"message\":\"SUCCESS\",\"summaries\":[{string.Join(',', items)}]}}";
    }
}
