using System.Text.Json;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Tests.Round10Aot;

/// <summary>
/// An app trimmed with <c>UseSystemResourceKeys</c> (a Native AOT size option) gets System.Text.Json's resource keys,
/// with their arguments, in place of its English messages. The AOT probe published that way showed the SDK passing them on:
/// a wrong type named .NET types ("DeserializeUnableToConvertValue, System.Collections.Generic.List`1[Leaf.Sdk.SyncSummary]")
/// and an invalid literal quoted the rest of the reader's buffer, kilobytes of the body, in the message. A test process
/// cannot switch its own resource keys, so these tests hand the parser's description the exceptions the serializer throws
/// in such an app, as the probe recorded them.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ResourceKeyMessageTests
{
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig";

    [Test]
    public void A_wrong_type_reported_by_its_resource_key_is_described_as_in_english()
    {
        var keyed = new JsonException("DeserializeUnableToConvertValue, System.Collections.Generic.List`1[Leaf.Sdk.SyncSummary] Path: $.summaries | LineNumber: 0 | BytePositionInLine: 14.", "$.summaries", 0, 14);
        var english = new JsonException("The JSON value could not be converted to System.Collections.Generic.List`1[Leaf.Sdk.SyncSummary]. Path: $.summaries | LineNumber: 0 | BytePositionInLine: 14.", "$.summaries", 0, 14);

        Assert.Multiple(() =>
        {
            Assert.That(SyncSummaryParser.Describe(keyed, Token), Is.EqualTo("a value has the wrong type (at $.summaries)"));
            Assert.That(SyncSummaryParser.Describe(english, Token), Is.EqualTo("a value has the wrong type (at $.summaries)"));
        });
    }

    [Test]
    public void An_invalid_literal_reported_by_its_resource_key_does_not_quote_the_rest_of_the_body()
    {
        var rest = "nul,\"fields\":7" + new string(' ', 8 * 1024) + string.Concat(Enumerable.Repeat("{\"provider\":\"JohnDeere\",\"fields\":7},", 200)) + "\"token\":\"" + Token + "\"}]}";
        var keyed = new JsonException($"ExpectedNull, {rest} LineNumber: 0 | BytePositionInLine: 30. Path: $.summaries[0] | LineNumber: 0 | BytePositionInLine: 30.", "$.summaries[0]", 0, 30);

        var described = SyncSummaryParser.Describe(keyed, Token);

        Assert.Multiple(() =>
        {
            Assert.That(described, Does.StartWith("ExpectedNull, nul,\"fields\":7 "));
            Assert.That(described, Does.EndWith("… (at $.summaries[0])"));
            Assert.That(described, Has.Length.LessThan(260));
            Assert.That(described, Does.Not.Contain("c2VjcmV0LXRva2Vu"));
        });
    }

    [Test]
    public void A_keyed_message_cut_short_is_scrubbed_before_the_cut()
    {
        // Any long keyed message, not only a literal's (which is cut to its first characters): the token straddles the cut;
        // cut first, its start would no longer be recognisable as a token.
        var keyed = new JsonException($"InvalidCharacterAfterEscapeWithinString, {new string('x', 143)} Bearer {Token} and more {new string('y', 400)} LineNumber: 0 | BytePositionInLine: 3.", "$.summaries[0].extra", 0, 3);

        var described = SyncSummaryParser.Describe(keyed, Token);

        Assert.Multiple(() =>
        {
            Assert.That(described, Does.Not.Contain("eyJhbGci"));
            Assert.That(described, Does.Contain(" Bearer [redact"));
        });
    }

    [TestCase("ExpectedTrue, ", "tsekrit-r10-")]
    [TestCase("ExpectedFalse, ", "fsekrit-r10-")]
    [TestCase("ExpectedNull, ", "nsekrit-r10-")]
    public void A_token_cut_by_the_reader_s_buffer_after_a_resource_key_shows_no_piece_of_it(string key, string start)
    {
        // As BufferBoundarySecretTests show in English: an unquoted token echoed where the reader's 16 KB buffer ends is
        // quoted only up to there, and a search for the whole token does not find its first part.
        var token = start + Guid.NewGuid().ToString("N");
        var keyed = new JsonException($"{key}{token[..20]} LineNumber: 0 | BytePositionInLine: 16364. Path: $.summaries | LineNumber: 0 | BytePositionInLine: 16364.", "$.summaries", 0, 16364);

        var described = SyncSummaryParser.Describe(keyed, token);

        Assert.Multiple(() =>
        {
            Assert.That(described, Does.StartWith(key));
            Assert.That(described, Does.Not.Contain(token[..8]));
        });
    }

    [TestCase("ExpectedTrue, ", "tsekrit-r10-")]
    [TestCase("ExpectedNull, ", "nsekrit-r10-")]
    public void A_broken_login_answer_reported_by_its_resource_key_keeps_no_text_of_the_answer(string key, string start)
    {
        // The login's inner exception says where and how its answer broke, never what it held: an unquoted token after
        // the key, as in English after the quote.
        var token = start + Guid.NewGuid().ToString("N");
        var keyed = new JsonException($"{key}{token}\"}} LineNumber: 0 | BytePositionInLine: 12. Path: $.id_token | LineNumber: 0 | BytePositionInLine: 12.", "$.id_token", 0, 12);
        var english = new JsonException($"'{token}\"}}' is an invalid JSON literal. Expected the literal 'true'. Path: $.id_token | LineNumber: 0 | BytePositionInLine: 12.", "$.id_token", 0, 12);

        Assert.Multiple(() =>
        {
            Assert.That(Leaf.Sdk.Authentication.LeafLoginTokenSource.WithoutAnswerText(keyed).Message, Is.EqualTo($"{key.TrimEnd(' ', ',')} LineNumber: 0 | BytePositionInLine: 12."));
            Assert.That(Leaf.Sdk.Authentication.LeafLoginTokenSource.WithoutAnswerText(english).Message, Is.EqualTo("An invalid JSON literal. Expected the literal 'true'. LineNumber: 0 | BytePositionInLine: 12."));
        });
    }

    [Test]
    public void Content_after_the_root_value_reported_by_its_resource_key_names_no_path()
    {
        // As in English ("'x' is invalid after a single JSON value"): the path differs with the read path, so none is given.
        var keyed = new JsonException("ExpectedEndAfterSingleJson, x LineNumber: 0 | BytePositionInLine: 40.", "$[1]", 0, 40);

        Assert.That(SyncSummaryParser.Describe(keyed, Token), Is.EqualTo("ExpectedEndAfterSingleJson, x"));
    }

    [Test]
    public void A_short_english_message_is_left_as_it_was()
    {
        var english = new JsonException("The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options. Path: $.summaries[0] | LineNumber: 0 | BytePositionInLine: 58.", "$.summaries[0]", 0, 58);

        Assert.That(
            SyncSummaryParser.Describe(english, Token),
            Is.EqualTo("The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options. (at $.summaries[0])"));
    }
}
