using System.Text;
using System.Text.Encodings.Web;
using Leaf.Sdk.Diagnostics;

namespace Leaf.Sdk.Tests.Round16Mutants;

/// <summary>
/// Redaction removes a secret in each spelling a server may echo it in (Redaction.FormsOf's comment lists them), each
/// pinned here with a secret that only that spelling finds, as Stryker run 3 (Round10Secrets and Round16Mutants only)
/// let each spelling's removal go; and its excerpt is one short line, with a secret cut off at the end of a body read
/// up to a cap removed too, but nothing else.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RedactionSpellingTests
{
    private static string Python(string text) =>
        string.Concat(text.Select(static c => c switch
        {
            '"' or '\\' => "\\" + c,
            > (char)0x7E => $"\\u{(int)c:x4}",
            _ => c.ToString(),
        }));

    private static IEnumerable<TestCaseData> Spellings()
    {
        // A quote: every JSON spelling differs from the text as it is (an HTML page quotes it so).
        yield return new TestCaseData("ab\"cd#efgh", "ab\"cd#efgh").SetArgDisplayNames("as it is");
        const string Accented = "ab\"cdéfgh";
        var relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(Accented);
        var escaped = JavaScriptEncoder.Default.Encode(Accented);
        yield return new TestCaseData(Accented, relaxed).SetArgDisplayNames("JSON, minimal escapes");
        yield return new TestCaseData(Accented, JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(relaxed)).SetArgDisplayNames("JSON twice, minimal escapes");
        yield return new TestCaseData(Accented, JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(escaped)).SetArgDisplayNames("JSON twice, default escapes");
        // Jackson: a quote as \", non-ASCII as \uXXXX in upper-case hex; PHP: lower-case hex and '/' as "\/".
        yield return new TestCaseData(Accented, "ab\\\"cd\\u00E9fgh").SetArgDisplayNames("Jackson, upper-case hex");
        yield return new TestCaseData("a/b\"cdéfgh", "a\\/b\\\"cd\\u00e9fgh").SetArgDisplayNames("PHP, '/' escaped");
        // '~' is ASCII: Python's json.dumps keeps it as it is.
        yield return new TestCaseData("pä~sswörd", Python("pä~sswörd")).SetArgDisplayNames("Python, '~' kept");
        const string Spaced = "pass word!/x";
        yield return new TestCaseData(Spaced, Uri.EscapeDataString(Spaced)).SetArgDisplayNames("URL, upper-case hex");
        yield return new TestCaseData(Spaced, Uri.EscapeDataString(Spaced).Replace("%2F", "%2f", StringComparison.Ordinal)).SetArgDisplayNames("URL, lower-case hex");
        yield return new TestCaseData(Spaced, System.Net.WebUtility.UrlEncode(Spaced)).SetArgDisplayNames("form, upper-case hex");
        // Three '?' make a '/' in base64, a '_' in base64url.
        const string Binary = "ab???cd???";
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Binary)).TrimEnd('=');
        yield return new TestCaseData(Binary, base64).SetArgDisplayNames("base64");
        yield return new TestCaseData(Binary, base64.Replace('+', '-').Replace('/', '_')).SetArgDisplayNames("base64url");
        // Eight characters: the shortest secret searched for.
        yield return new TestCaseData("q7#Zk!2x", "q7#Zk!2x").SetArgDisplayNames("eight characters");
    }

    [TestCaseSource(nameof(Spellings))]
    public void Each_spelling_of_a_secret_is_removed(string secret, string echoed)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Redaction.Scrub($"<pre>said {echoed} here</pre>", secret), Is.EqualTo("<pre>said [redacted] here</pre>"));
            Assert.That(Redaction.Excerpt(Encoding.UTF8.GetBytes($"said {echoed} here"), false, secret), Is.EqualTo("said [redacted] here"));
        });
    }

    [Test]
    public void A_secret_inside_another_leaves_no_piece_of_the_longer_one()
    {
        Assert.That(Redaction.Scrub("x q7Zk2x9w-rest-of-it y", "q7Zk2x9w", "q7Zk2x9w-rest-of-it"), Is.EqualTo("x [redacted] y"));
    }

    [Test]
    public void A_secret_cut_off_at_the_end_of_a_capped_body_is_removed_and_nothing_else_is()
    {
        const string Secret = "q7Zk2x9wPLmN";
        Assert.Multiple(() =>
        {
            Assert.That(Redaction.Excerpt("refused q7Zk2x"u8, cutShort: true, Secret), Is.EqualTo("refused [redacted]"));
            Assert.That(Redaction.Excerpt("refused q7Zk2x"u8, cutShort: false, Secret), Is.EqualTo("refused q7Zk2x"), "a whole body ends where it ends");
            Assert.That(Redaction.Excerpt("refused, the end"u8, cutShort: true, Secret), Is.EqualTo("refused, the end"));
            Assert.That(Redaction.ScrubCutShort("refused, the end", Secret), Is.EqualTo("refused, the end"));
        });
    }

    [Test]
    public void A_capped_body_cut_inside_a_character_of_a_secret_shows_none_of_it()
    {
        const string Secret = "pässwordé";
        var bytes = Encoding.UTF8.GetBytes("refused " + Secret);

        Assert.That(Redaction.Excerpt(bytes.AsSpan(0, bytes.Length - 1), cutShort: true, Secret), Is.EqualTo("refused [redacted]"));
    }

    [Test]
    public void An_excerpt_is_one_line_of_at_most_200_characters()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Redaction.Excerpt(Encoding.UTF8.GetBytes(new string('a', 200)), false), Is.EqualTo(new string('a', 200)));
            Assert.That(Redaction.Excerpt(Encoding.UTF8.GetBytes(new string('a', 201)), false), Is.EqualTo(new string('a', 200) + "…"));
            Assert.That(Redaction.Excerpt(" a \r\n\t b  "u8, false), Is.EqualTo("a b"));
            Assert.That(Redaction.Excerpt(" \r\n\t  "u8, false), Is.Null);
            Assert.That(Redaction.Excerpt(""u8, false), Is.Null);
        });
    }
}
