using System.Globalization;
using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>
/// Differential tests of the two Sync Summary readers: each body goes through every <see cref="BodyPath"/> (read whole
/// by WholeBodyReader, streamed as the last block, trickled, streamed with more to come) and every path must give the
/// same summaries, or the same typed error with the same message and excerpt. Never another exception type, never a
/// hang.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class PathAgreementTests
{
    private static readonly string Documented = LeafJson.DocumentedExample.Trim();

    // Nine summaries: known, unknown and oddly cased providers, absent and null levels, 0 to 9 fractional digits.
    private static readonly string Nine = "{\"message\":\"SUCCESS\",\"summaries\":[" + string.Join(',',
        Summary("JohnDeere", "\"growers\":12,\"farms\":12,\"fields\":100", "2023-08-30T18:39:33.230612Z"),
        Summary("ClimateFieldView", "\"farms\":3,\"fields\":41", "2023-08-30T18:39:33Z"),
        Summary("CNHi", "\"growers\":1,\"farms\":2,\"fields\":3", "2023-08-30T18:39:33.1Z"),
        Summary("Panorama", "\"growers\":0,\"farms\":0,\"fields\":0", "2023-08-30T18:39:33.123456789Z"),
        Summary("Stara", "\"growers\":null,\"farms\":null,\"fields\":7", "2023-08-30T18:39:33.1234567+02:00"),
        Summary("Sentera", "\"fields\":2147483647", "2023-08-30T18:39:33.99999999Z"),
        Summary("Trimble", "\"growers\":4,\"farms\":5,\"fields\":6,\"extra\":{\"a\":[1,{\"b\":null}]}", "2023-08-30T18:39:33.12Z"),
        Summary("AgLeader", "\"growers\":7", "2023-08-30T18:39:33.1234Z"),
        Summary("Raven", "\"growers\":8,\"farms\":9,\"fields\":10", "2023-08-30T18:39:33.123456Z")) + "]}";

    public static IEnumerable<TestCaseData> NamedBodies()
    {
        static TestCaseData Case(string what, byte[] body) => new TestCaseData(body).SetArgDisplayNames(what);
        static byte[] U(string text) => Encoding.UTF8.GetBytes(text);
        var doc = U(Documented);
        var deep = new string('[', 70) + new string(']', 70);

        yield return Case("documented example", doc);
        yield return Case("nine summaries", U(Nine));
        yield return Case("older bare array", U(LeafJson.OlderBareArray.Trim()));
        yield return Case("BOM", [0xEF, 0xBB, 0xBF, .. doc]);
        yield return Case("BOM then white space", [0xEF, 0xBB, 0xBF, .. " \r\n"u8, .. doc]);
        yield return Case("BOM before a wrong body", [0xEF, 0xBB, 0xBF, .. "{\"summaries\":[1]}"u8]);
        yield return Case("BOM before HTML", [0xEF, 0xBB, 0xBF, .. "<html>Bad gateway</html>"u8]);
        yield return Case("BOM before null", [0xEF, 0xBB, 0xBF, .. "null"u8]);
        yield return Case("BOM alone", [0xEF, 0xBB, 0xBF]);
        yield return Case("first BOM byte alone", [0xEF, .. doc]);
        yield return Case("last BOM bytes alone", [0xBB, 0xBF, .. doc]);
        yield return Case("BOM bytes out of order", [0xBF, 0xBB, 0xEF, .. doc]);
        yield return Case("white space before a BOM", [.. " "u8, 0xEF, 0xBB, 0xBF, .. doc]);
        yield return Case("two BOMs", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. doc]);
        yield return Case("a lone 0xEF", [0xEF]);
        yield return Case("UTF-16 LE with BOM", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Documented)]);
        yield return Case("UTF-16 LE", Encoding.Unicode.GetBytes(Documented));
        yield return Case("UTF-16 BE", Encoding.BigEndianUnicode.GetBytes(Documented));
        yield return Case("UTF-32", Encoding.UTF32.GetBytes(Documented));
        yield return Case("empty", []);
        yield return Case("white space only", U(" \r\n\t "));
        yield return Case("HTML", U("<html><body>502 Bad Gateway</body></html>"));
        yield return Case("plain text", U("Service Unavailable"));
        yield return Case("null", U("null"));
        yield return Case("a number", U("42"));
        yield return Case("a string", U("\"SUCCESS\""));
        yield return Case("true", U("true"));
        foreach (var value in new[] { "1e2", "-1", "12.0", "-0", "0", "2147483647", "2147483648", "99999999999999999999", "1e400", "null", "\"12\"", "true", "[]", "{}", "\"\"" })
        {
            yield return Case($"growers {value}", U(Documented.Replace("\"growers\":12", "\"growers\":" + value, StringComparison.Ordinal)));
        }

        yield return Case("growers absent", U(Documented.Replace("\"growers\":12,", string.Empty, StringComparison.Ordinal)));
        yield return Case("provider unknown", U(Documented.Replace("JohnDeere", "Lindsay", StringComparison.Ordinal)));
        yield return Case("provider in other case", U(Documented.Replace("JohnDeere", "johndeere", StringComparison.Ordinal)));
        yield return Case("provider escaped", U(Documented.Replace("JohnDeere", "\\u004AohnDeere", StringComparison.Ordinal)));
        yield return Case("provider empty", U(Documented.Replace("JohnDeere", string.Empty, StringComparison.Ordinal)));
        yield return Case("provider null", U(Documented.Replace("\"JohnDeere\"", "null", StringComparison.Ordinal)));
        yield return Case("provider number", U(Documented.Replace("\"JohnDeere\"", "5", StringComparison.Ordinal)));
        yield return Case("leafUserId null", U(Documented.Replace("\"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b\"", "null", StringComparison.Ordinal)));
        yield return Case("leafUserId not a UUID", U(Documented.Replace("7b6e2c8a-3f0d", "not-a-uuid", StringComparison.Ordinal)));
        foreach (var time in new[] { "2023-08-30T18:39:33Z", "2023-08-30T18:39:33.2Z", "2023-08-30T18:39:33.2306120Z", "2023-08-30T18:39:33.23061234Z", "2023-08-30T18:39:33.230612345Z", "2023-08-30T18:39:33.2306123456789012345Z", "2023-08-30T18:39:33.230612", "2023-08-30T18:39:33.230612+05:30", "2023-08-30T18:39:33.230612-00:00", "2023-08-30", "yesterday", "" })
        {
            yield return Case($"time {time}", U(Documented.Replace("2023-08-30T18:39:33.230612Z", time, StringComparison.Ordinal)));
        }

        yield return Case("time null", U(Documented.Replace("\"2023-08-30T18:39:33.230612Z\"", "null", StringComparison.Ordinal)));
        yield return Case("time number", U(Documented.Replace("\"2023-08-30T18:39:33.230612Z\"", "1693420773", StringComparison.Ordinal)));
        yield return Case("summaries null", U("{\"message\":\"SUCCESS\",\"summaries\":null}"));
        yield return Case("summaries absent", U("{\"message\":\"SUCCESS\"}"));
        yield return Case("summaries an object", U("{\"summaries\":{\"provider\":\"JohnDeere\"}}"));
        yield return Case("a null summary", U("{\"summaries\":[null," + Documented[(Documented.IndexOf('[') + 1)..]));
        yield return Case("message a number", U(Documented.Replace("\"SUCCESS\"", "1", StringComparison.Ordinal)));
        yield return Case("message null", U(Documented.Replace("\"SUCCESS\"", "null", StringComparison.Ordinal)));
        yield return Case("duplicate summaries key", U("{\"summaries\":[{\"provider\":\"JohnDeere\"}],\"summaries\":[{\"provider\":\"Stara\"}]}"));
        yield return Case("duplicate level key", U(Documented.Replace("\"growers\":12", "\"growers\":12,\"growers\":13", StringComparison.Ordinal)));
        yield return Case("duplicate provider key", U(Documented.Replace("\"provider\":\"JohnDeere\"", "\"provider\":\"JohnDeere\",\"provider\":\"Stara\"", StringComparison.Ordinal)));
        yield return Case("keys in other case", U(Documented.Replace("\"summaries\"", "\"Summaries\"", StringComparison.Ordinal).Replace("\"growers\"", "\"GROWERS\"", StringComparison.Ordinal)));
        yield return Case("trailing garbage", U(Documented + "x"));
        yield return Case("trailing second document", U(Documented + Documented));
        yield return Case("trailing NUL", [.. doc, 0]);
        yield return Case("trailing BOM", [.. doc, 0xEF, 0xBB, 0xBF]);
        yield return Case("trailing white space", U(Documented + " \r\n"));
        yield return Case("comment", U("/* x */" + Documented));
        yield return Case("deep extra member", U(Documented.Replace("\"growers\"", "\"x\":" + deep + ",\"growers\"", StringComparison.Ordinal)));
        yield return Case("deep summaries", U("{\"summaries\":" + deep + "}"));
        yield return Case("deep summary", U("{\"summaries\":[" + deep + "]}"));
        yield return Case("deep envelope member", U("{\"x\":" + deep + ",\"summaries\":[]}"));
        yield return Case("a summary that is an array", U("{\"summaries\":[[1]]}"));
        yield return Case("invalid UTF-8 in provider", [.. U("{\"summaries\":[{\"provider\":\"John"), 0xFF, .. U("Deere\"}]}")]);
        yield return Case("Latin-1 in an extra member", [.. U("{\"summaries\":[{\"provider\":\"JohnDeere\",\"note\":\"pr"), 0xFC, .. U("fen\"}]}")]);
        yield return Case("a mistyped level in broken JSON", U(Documented.Replace("\"growers\":12,", "\"growers\":\"x\" \"farms\" 3,", StringComparison.Ordinal)));
        yield return Case("a bad UUID in broken JSON", U(Documented.Replace("2d8f4e6a1c3b\"", "2d8\"x\"", StringComparison.Ordinal)));
        yield return Case("a mistyped level in a summary that breaks off", U(Documented[..Documented.IndexOf("\"farms\"", StringComparison.Ordinal)].Replace("\"growers\":12", "\"growers\":\"12\"", StringComparison.Ordinal)));
    }

    [TestCaseSource(nameof(NamedBodies))]
    public async Task Every_path_reads_the_body_alike(byte[] body)
    {
        var outcomes = await BodyPaths.AllAsync(body);

        Assert.Multiple(() =>
        {
            foreach (var (path, outcome) in outcomes)
            {
                Assert.That(outcome.Kind, Is.Not.EqualTo(OutcomeKind.Escaped), $"{path}: {outcome}");
                Assert.That(outcome.Comparable(), Is.EqualTo(outcomes[0].Outcome.Comparable()), $"{path} against {outcomes[0].Path}");
            }
        });
    }

    [Test]
    public async Task The_nine_summary_body_reads_in_full_on_every_path()
    {
        var outcomes = await BodyPaths.AllAsync(Encoding.UTF8.GetBytes(Nine));

        var summaries = outcomes[0].Outcome.Response!.Summaries;
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Select(o => o.Outcome.Comparable()).Distinct().Count(), Is.EqualTo(1));
            Assert.That(summaries.Select(s => s.ProviderName), Is.EqualTo(new[] { "JohnDeere", "ClimateFieldView", "CNHi", "Panorama", "Stara", "Sentera", "Trimble", "AgLeader", "Raven" }));
            Assert.That(summaries.Select(s => s.Provider), Is.EqualTo(new[] { Provider.JohnDeere, Provider.ClimateFieldView, Provider.CNHI, Provider.Unknown, Provider.Stara, Provider.Sentera, Provider.Trimble, Provider.Unknown, Provider.Raven }));
            Assert.That(summaries.Select(s => s.Growers), Is.EqualTo(new int?[] { 12, null, 1, 0, null, null, 4, 7, 8 }));
            Assert.That(summaries[5].Fields, Is.EqualTo(int.MaxValue));
            Assert.That(summaries.Select(s => s.SyncReferenceTime!.Value.UtcTicks % TimeSpan.TicksPerSecond), Is.EqualTo(new long[] { 2306120, 0, 1000000, 1234567, 1234567, 9999999, 1200000, 1234000, 1234560 }), "every fractional digit kept, to the 100 ns DateTimeOffset holds");
        });
    }

    [Test]
    public async Task A_truncation_at_every_byte_reads_alike_on_every_path([Values("documented", "nine", "bare array")] string which)
    {
        var full = Encoding.UTF8.GetBytes(which switch
        {
            "documented" => Documented,
            "nine" => Nine,
            _ => LeafJson.OlderBareArray.Trim(),
        });
        var disagreements = new List<string>();
        for (var length = 0; length < full.Length; length++)
        {
            var body = full[..length];
            var outcomes = await BodyPaths.AllAsync(body, trickle: length % 13 == 0);
            var expected = outcomes[0].Outcome;
            if (expected.Kind != OutcomeKind.Rejected)
            {
                disagreements.Add($"cut at {length}: {expected}");
                continue;
            }

            foreach (var (path, outcome) in outcomes.Skip(1))
            {
                if (path == BodyPath.Large && EndsInToken(body))
                {
                    if (outcome.Kind != OutcomeKind.Rejected)
                    {
                        disagreements.Add($"cut at {length}, {path}: {outcome}");
                    }

                    continue;
                }

                if (outcome.Comparable() != expected.Comparable())
                {
                    disagreements.Add($"cut at {length}, {path}: {outcome.Comparable()} but {outcomes[0].Path}: {expected.Comparable()}");
                }
            }
        }

        Assert.That(disagreements, Is.Empty, $"{disagreements.Count} of {full.Length} truncations; first: {disagreements.FirstOrDefault()}");
    }

    [Test]
    public async Task Seeded_mutations_read_alike_on_every_path([Values(20261127, 7, 1234567)] int seed)
    {
        const int Cases = 400;
        var random = new Random(seed);
        var disagreements = new List<string>();
        var parsed = 0;
        for (var i = 0; i < Cases; i++)
        {
            var (body, how) = Mutations.Next(random, [Encoding.UTF8.GetBytes(Documented), Encoding.UTF8.GetBytes(Nine), Encoding.UTF8.GetBytes(LeafJson.OlderBareArray.Trim())]);
            var outcomes = await BodyPaths.AllAsync(body);
            var expected = outcomes[0].Outcome;
            parsed += expected.Kind == OutcomeKind.Parsed ? 1 : 0;
            foreach (var (path, outcome) in outcomes)
            {
                var differs = path == BodyPath.Large && EndsInToken(body)
                    ? outcome.Kind != expected.Kind
                    : outcome.Comparable() != expected.Comparable();
                if (outcome.Kind == OutcomeKind.Escaped || differs)
                {
                    disagreements.Add($"seed {seed} case {i} ({how}), {path}: {outcome.Comparable()} but {outcomes[0].Path}: {expected.Comparable()}; body: {Show(body)}");
                    break;
                }
            }
        }

        await TestContext.Out.WriteLineAsync($"seed {seed}: {Cases} cases, {parsed} parsed, {disagreements.Count} disagreements");
        Assert.That(disagreements, Is.Empty, $"{disagreements.Count} of {Cases}; first: {disagreements.FirstOrDefault()}");
        Assert.That(parsed, Is.InRange(Cases / 20, Cases * 19 / 20), "the mutations are neither too tame nor too wild to mean something");
    }

    // The Large path follows the body with white space. A body that ends in a number or a literal ("...,\"farms\":2",
    // "...tru") is then known to end that token; in the last block the token may go on. Both are typed refusals of a
    // body that broke off, worded differently; only that they are refusals is compared.
    private static bool EndsInToken(byte[] body) =>
        body.Length > 0 && (char.IsAsciiLetterOrDigit((char)body[^1]) || body[^1] is (byte)'.' or (byte)'-' or (byte)'+');

    private static string Summary(string provider, string levels, string time) =>
        $"{{\"provider\":\"{provider}\",\"leafUserId\":\"{LeafJson.UserId}\",{levels},\"syncReferenceTime\":\"{time}\"}}";

    private static string Show(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 400)]);
        return body.Length > 400 ? text + "…" : text;
    }
}
