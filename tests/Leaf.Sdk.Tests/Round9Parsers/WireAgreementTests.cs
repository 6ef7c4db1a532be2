using System.Globalization;
using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>
/// Over a real socket and through the whole client: the same body served with a small Content-Length (read whole),
/// chunked (streamed), and with a Content-Length past 16 KB (white space after it; streamed with more to come) gives the
/// same summaries, or the same LeafApiException: message, status, transience and excerpt, never the token.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class WireAgreementTests
{
    public enum Framing
    {
        ContentLength,
        Chunked,
        LargeContentLength,
    }

    private static readonly string Documented = LeafJson.DocumentedExample.Trim();

    public static IEnumerable<TestCaseData> Bodies()
    {
        static TestCaseData Case(string what, byte[] body) => new TestCaseData(body).SetArgDisplayNames(what);
        var doc = Encoding.UTF8.GetBytes(Documented);
        yield return Case("documented", doc);
        yield return Case("extra keys", Encoding.UTF8.GetBytes(Documented.Replace("\"growers\"", "\"status\":{\"a\":[1]},\"growers\"", StringComparison.Ordinal)));
        yield return Case("BOM", [0xEF, 0xBB, 0xBF, .. doc]);
        yield return Case("stray 0xEF", [0xEF, .. doc]);
        yield return Case("HTML", "<html><body>502 Bad Gateway</body></html>"u8.ToArray());
        yield return Case("empty", []);
        yield return Case("cut after 40 bytes", doc[..40]);
        yield return Case("cut after 150 bytes", doc[..150]);
        yield return Case("growers 12.0", Encoding.UTF8.GetBytes(Documented.Replace("\"growers\":12", "\"growers\":12.0", StringComparison.Ordinal)));
        yield return Case("invalid literal", Encoding.UTF8.GetBytes(Documented.Replace("\"growers\":12", "\"growers\":nul", StringComparison.Ordinal)));
        yield return Case("token as a key", Encoding.UTF8.GetBytes(Documented.Replace("\"message\"", $"\"{Stub.Token}\":x,\"message\"", StringComparison.Ordinal)));
        yield return Case("token in the message", Encoding.UTF8.GetBytes($"{{\"message\":\"{Stub.Token}\",\"summaries\":[1]}}"));
        yield return Case("mistyped and broken", Encoding.UTF8.GetBytes(Documented.Replace("\"growers\":12,", "\"growers\":\"x\" \"farms\" 3,", StringComparison.Ordinal)));
    }

    [TestCaseSource(nameof(Bodies))]
    public async Task Every_framing_reads_the_body_alike_through_the_client(byte[] body)
    {
        foreach (var kind in Enum.GetValues<ClientKind>())
        {
            var outcomes = new List<(Framing Framing, string Outcome)>();
            foreach (var framing in Enum.GetValues<Framing>())
            {
                outcomes.Add((framing, await CallAsync(kind, body, framing)));
            }

            Assert.Multiple(() =>
            {
                foreach (var (framing, outcome) in outcomes)
                {
                    Assert.That(outcome, Is.EqualTo(outcomes[0].Outcome), $"{kind}, {framing} against {outcomes[0].Framing}");
                    Assert.That(outcome, Does.Not.Contain(Stub.Token), $"{kind}, {framing}");
                }
            });
        }
    }

    private static async Task<string> CallAsync(ClientKind kind, byte[] body, Framing framing)
    {
        using var raw = new RawHttpServer(_ => Answer(body, framing));
        var options = new LeafClientOptions
        {
            BaseAddress = raw.Url,
            AccessToken = Stub.Token,
            MaxRetries = 0,
            AttemptTimeout = TimeSpan.FromSeconds(30),
            TotalTimeout = TimeSpan.FromSeconds(60),
            EnableCircuitBreaker = false,
        };
        using var client = TestClient.Create(kind, options);
        try
        {
            var response = await client.Client.GetResourcesAsync();
            return $"parsed: {response.Message} | {string.Join("; ", response.Summaries)}";
        }
        catch (LeafApiException ex)
        {
            // ToString() adds the inner exception's byte positions, which differ with the framing: checked for the token only.
            Assert.That(ex.ToString(), Does.Not.Contain(Stub.Token), $"{kind}, {framing}");
            return $"{ex.GetType().Name}: {ex.Message} | status {ex.StatusCode} | transient {ex.IsTransient} | excerpt {ex.ResponseExcerpt}";
        }
    }

    private static byte[] Answer(byte[] body, Framing framing)
    {
        var head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n");
        if (framing == Framing.Chunked)
        {
            // Three chunks, cut wherever they fall, as a proxy might.
            head.Append("Transfer-Encoding: chunked\r\n\r\n");
            var third = Math.Max(1, body.Length / 3);
            var chunks = body.Chunk(third).SelectMany(c => (byte[])[.. Encoding.ASCII.GetBytes(c.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), .. c, .. "\r\n"u8]);
            return [.. Encoding.ASCII.GetBytes(head.ToString()), .. chunks, .. "0\r\n\r\n"u8];
        }

        byte[] payload = framing == Framing.LargeContentLength
            ? [.. body, .. Enumerable.Repeat((byte)' ', SyncSummaryParser.SmallBodyLimit + 100)]
            : body;
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {payload.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. payload];
    }
}
