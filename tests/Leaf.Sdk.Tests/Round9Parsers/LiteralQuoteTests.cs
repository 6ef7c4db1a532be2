using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>
/// System.Text.Json quotes an invalid literal (<c>tru</c>, <c>nul</c>, <c>nunll</c>) together with everything after it in
/// its buffer: the rest of a small body, up to 16 KB of a large one. That went into the error's message unbounded, beside
/// an excerpt capped at 200 characters, and it differed with the read path (a large body's buffer ends elsewhere).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LiteralQuoteTests
{
    [Test]
    public async Task An_invalid_literal_is_quoted_short_and_alike_on_every_path([Values("t", "nul", "fals", "nunll", "trUe")] string literal)
    {
        var filler = string.Join(',', Enumerable.Range(0, 60).Select(i => $"\"note{i}\":\"{new string('a', 40)}\""));
        var body = Encoding.UTF8.GetBytes($"{{\"summaries\":[{{\"provider\":\"JohnDeere\",\"growers\":{literal},{filler}}}]}}");

        var outcomes = await BodyPaths.AllAsync(body);

        Assert.Multiple(() =>
        {
            foreach (var (path, outcome) in outcomes)
            {
                Assert.That(outcome.Error?.Message, Does.Contain("is an invalid JSON literal").And.Length.LessThan(300), $"{path}");
                Assert.That(outcome.Comparable(), Is.EqualTo(outcomes[0].Outcome.Comparable()), $"{path} against {outcomes[0].Path}");
            }
        });
    }

    [Test]
    public async Task A_token_after_an_invalid_literal_is_not_quoted_even_in_part()
    {
        var body = Encoding.UTF8.GetBytes($"{{\"summaries\":[{{\"provider\":\"JohnDeere\",\"growers\":t{Stub.Token}-and-more-text}}]}}");

        var outcomes = await BodyPaths.AllAsync(body);

        Assert.Multiple(() =>
        {
            foreach (var (path, outcome) in outcomes)
            {
                Assert.That(outcome.Error?.Message, Does.Contain("is an invalid JSON literal").And.Not.Contain(Stub.Token[..8]), $"{path}");
                Assert.That(outcome.Error?.ToString(), Does.Not.Contain(Stub.Token), $"{path}");
            }
        });
    }

    // The quote of a literal followed by white space is that white space, up to the 16 KB of the serializer's buffer. The
    // scrubber's look-behinds ("Bearer\s+") scan back over a run of white space from every position in it: scrubbing the
    // quote as it came took seconds of CPU for one refused body (minutes for a larger buffer). No timing is asserted (tests
    // never do): the test pins what makes the work linear.
    [Test]
    public async Task A_literal_followed_by_kilobytes_of_white_space_is_refused_at_once()
    {
        var body = Encoding.UTF8.GetBytes("{\"summaries\":[{\"provider\":\"JohnDeere\",\"growers\":t" + new string(' ', 16_000) + "}]}");

        var outcome = await BodyPaths.RunAsync(body, BodyPath.Large);

        // What kept the refusal from taking seconds: the scrubber's look-behinds are never run over a long run of white
        // space (each run is one space first). Checked by what reaches the user, not by a timing.
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Error?.Message, Does.StartWith("Leaf answered with a body that is not a valid Sync Summary: 't").And.Contain("is an invalid JSON literal"));
            Assert.That(outcome.Error?.InnerException?.Message, Does.Not.Contain("  "));
        });
    }
}
