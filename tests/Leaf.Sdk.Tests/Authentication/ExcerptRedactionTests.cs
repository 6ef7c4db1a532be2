using System.Text;
using System.Text.Json;
using Leaf.Sdk.Diagnostics;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>
/// <see cref="Redaction.Excerpt(ReadOnlySpan{byte}, bool, ReadOnlySpan{string})"/> at its edges: a secret wherever it
/// sits in the body, cut by the excerpt's length or by the cap the body was read up to, or spelled with white space.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ExcerptRedactionTests
{
    private const string Token = "opaque0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop";
    private const string Password = "Pw  run\tof\nspace-Qx7";

    private static string? Excerpt(string body, bool cutShort = false, params string?[] secrets) =>
        Redaction.Excerpt(Encoding.UTF8.GetBytes(body), cutShort, secrets);

    [Test]
    public void A_secret_at_the_start_at_the_end_and_repeated_is_replaced_every_time()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Excerpt(Token + " was rejected", secrets: Token), Is.EqualTo("[redacted] was rejected"));
            Assert.That(Excerpt("rejected: " + Token, secrets: Token), Is.EqualTo("rejected: [redacted]"));
            Assert.That(Excerpt($"{Token},{Token} {Token}", secrets: Token), Is.EqualTo("[redacted],[redacted] [redacted]"));
            Assert.That(Excerpt(Token, secrets: Token), Is.EqualTo("[redacted]"));
        });
    }

    [Test]
    public void A_secret_across_the_200_character_cut_leaves_no_piece_behind()
    {
        // The secret starts 10 characters before the cut, after white space that collapses to one space.
        var body = "{\"detail\":\"rejected\"," + new string(' ', 700) + new string('x', 200 - 22 - 10) + Token + "\", \"more\":\"text\"}";

        var excerpt = Excerpt(body, secrets: Token);

        Assert.That(excerpt, Has.Length.EqualTo(201).And.EndWith("[redacted]…"), "the 200-character format is kept");
        Assert.That(excerpt, Does.StartWith("{\"detail\":\"rejected\", xxx"));
        Assert.That(SecretPieces.FoundIn(excerpt, Token), Is.Empty);
    }

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(30)]
    [TestCase(57)]
    public void A_secret_cut_off_by_the_read_cap_is_replaced_with_what_is_left_of_it(int kept)
    {
        var excerpt = Excerpt("rejected: " + Token[..kept], cutShort: true, Token);

        Assert.That(excerpt, Is.EqualTo("rejected: [redacted]"));
    }

    [Test]
    public void A_body_that_was_read_whole_keeps_its_end()
    {
        // Not read up to a cap, the body ends where the server ended it: its last characters are not a cut-off secret.
        Assert.That(Excerpt("rejected: opaque", cutShort: false, Token), Is.EqualTo("rejected: opaque"));
        Assert.That(Excerpt("rejected: opaque", cutShort: true, Token), Is.EqualTo("rejected: [redacted]"));
    }

    [Test]
    public void A_secret_cut_inside_a_character_leaves_no_byte_of_it()
    {
        const string secret = "pässwort-Qx7-9876";
        var bytes = Encoding.UTF8.GetBytes("wrong password " + secret);
        var cut = bytes.AsSpan(0, bytes.Length - Encoding.UTF8.GetByteCount(secret) + 2); // "p" and the first byte of "ä"

        var excerpt = Redaction.Excerpt(cut, cutShort: true, secret);

        Assert.That(excerpt, Is.EqualTo("wrong password [redacted]"));
    }

    [Test]
    public void Trailing_white_space_that_could_begin_a_secret_is_left_alone()
    {
        Assert.That(Excerpt("rejected   ", cutShort: true, "   leading-space-pw"), Is.EqualTo("rejected"));
    }

    [Test]
    public void A_password_with_a_run_of_white_space_is_found_before_the_white_space_is_collapsed()
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, string> { ["detail"] = "bad password " + Password });

        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("\\t").And.Contain("\\n"), "JSON escapes the tab and the line break");
            Assert.That(Excerpt("bad password " + Password + " for user", secrets: Password), Is.EqualTo("bad password [redacted] for user"));
            Assert.That(Excerpt(json, secrets: Password), Is.EqualTo("{\"detail\":\"bad password [redacted]\"}"));
            Assert.That(Excerpt("bad password " + Password[..9], cutShort: true, Password), Is.EqualTo("bad password [redacted]"));
        });
    }

    [Test]
    public void A_secret_that_needs_JSON_escapes_is_found_in_either_spelling_and_one_that_is_not_valid_UTF16_breaks_nothing()
    {
        const string quoted = "Pw\"quoted\"+<é>";

        Assert.Multiple(() =>
        {
            Assert.That(Excerpt(JsonSerializer.Serialize(new Dictionary<string, string> { ["detail"] = quoted }), secrets: quoted), Is.EqualTo("{\"detail\":\"[redacted]\"}"));
            Assert.That(Excerpt("{\"detail\":\"Pw\\\"quoted\\\"+<é>\"}", secrets: quoted), Is.EqualTo("{\"detail\":\"[redacted]\"}"));
            Assert.That(Excerpt("bad password", cutShort: true, "Pw-\uD800-lone-surrogate"), Is.EqualTo("bad password"));
        });
    }

    [Test]
    public void A_secret_inside_a_longer_one_leaves_no_piece_of_the_longer_one()
    {
        Assert.That(Excerpt("echo " + Token + "-suffix", secrets: [Token, Token + "-suffix"]), Is.EqualTo("echo [redacted]"));
    }

    [Test]
    public void Jwts_are_still_scrubbed_and_short_values_are_not_replaced_blindly()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Excerpt("token eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln was rejected"), Is.EqualTo("token [redacted] was rejected"));
            Assert.That(Excerpt("the answer is 42 or short", cutShort: true, "short", "42"), Is.EqualTo("the answer is 42 or short"));
            Assert.That(Excerpt("   \r\n "), Is.Null);
        });
    }
}
