using System.Text.Json;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Tests.Round16Mutants;

/// <summary>
/// The reader's message in a refusal is one line of at most 200 characters: a longer one (a message that quotes the
/// body in a form the parser does not recognise, as a resource key's arguments do under UseSystemResourceKeys) has
/// each run of white space made one space, is scrubbed, and only then is cut, with "…" where it was cut. Round 10's
/// ResourceKeyMessageTests pin a literal's quote and a token across the cut; these pin the bound itself.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BoundedMessageTests
{
    private const string Key = "InvalidCharacterAfterEscapeWithinString, ";

    private static string Described(string message, string? token = null) =>
        SyncSummaryParser.Describe(new JsonException(message + " LineNumber: 0 | BytePositionInLine: 3.", path: null, 0, 3), token);

    [Test]
    public void A_long_message_is_cut_to_200_characters_and_marked()
    {
        var described = Described(Key + new string('x', 400));

        Assert.That(described, Is.EqualTo((Key + new string('x', 400))[..200] + "…"));
    }

    [Test]
    public void A_message_that_is_200_characters_once_on_one_line_is_not_marked_as_cut()
    {
        // 203 characters as the reader wrote them, 200 once its run of white space is one space.
        var message = Key + new string('x', 100) + "\n \t " + new string('y', 200 - Key.Length - 101);

        var described = Described(message);

        Assert.Multiple(() =>
        {
            Assert.That(message, Has.Length.EqualTo(203));
            Assert.That(described, Is.EqualTo(Key + new string('x', 100) + " " + new string('y', 200 - Key.Length - 101)));
            Assert.That(described, Has.Length.EqualTo(200));
        });
    }

    [Test]
    public void A_long_message_is_made_one_line_and_keeps_no_trailing_white_space()
    {
        // Long only for its white space: once that is collapsed it is short, and nothing of it is cut.
        var message = Key + "a\r\n\r\nb" + new string(' ', 150) + "c\t\td" + new string('\n', 100);

        Assert.That(Described(message), Is.EqualTo(Key + "a b c d"));
    }

    [Test]
    public void A_short_message_is_left_as_the_reader_wrote_it()
    {
        Assert.That(Described(Key + "a  b"), Is.EqualTo(Key + "a  b"));
    }
}
