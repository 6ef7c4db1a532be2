using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>
/// A body that is no Sync Summary is quoted in a scrubbed excerpt, and its error names where the JSON went wrong: the
/// serializer's path, which spells the envelope's keys. A server (or something in between) that echoes the token as a
/// key had it written, unscrubbed, into the message and into the inner JsonException that ToString() and every logger
/// print, while the excerpt beside it said [redacted].
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class TokenInPathTests
{
    private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJncm93ZXIifQ.c2lnbmF0dXJl";

    private static readonly string[] Shapes =
    [
        "{\"TOKEN\": x}",
        "{\"TOKEN\": [1,2,}",
        "{\"summaries\":[],\"TOKEN\":" + new string('[', 70) + new string(']', 70) + "}",
    ];

    [Test]
    public async Task A_token_echoed_as_a_key_stays_out_of_the_error(
        [ValueSource(nameof(Shapes))] string shape, [Values(Stub.Token, Jwt)] string token, [Values] BodyPath path)
    {
        var body = Encoding.UTF8.GetBytes(shape.Replace("TOKEN", token, StringComparison.Ordinal));

        var outcome = await BodyPaths.RunAsync(body, path, sentToken: Stub.Token);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Kind, Is.EqualTo(OutcomeKind.Rejected), outcome.ToString());
            Assert.That(outcome.Error!.Message, Does.Contain("not a valid Sync Summary").And.Not.Contain(token));
            Assert.That(outcome.Error.ToString(), Does.Not.Contain(token));
            Assert.That(outcome.Error.ResponseExcerpt, Does.Contain("[redacted]").And.Not.Contain(token));
        });
    }

    [Test]
    public async Task Through_the_client_the_token_stays_out_of_the_error([Values] ClientKind kind)
    {
        var ex = await Stub.FailureAsync(kind, $"{{\"message\":\"SUCCESS\",\"{Stub.Token}\": x}}");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain("not a valid Sync Summary").And.Contain("(at $.[redacted])"));
            Assert.That(ex.ToString(), Does.Not.Contain(Stub.Token));
            Assert.That(ex.InnerException, Is.InstanceOf<System.Text.Json.JsonException>(), "the cause is still there, scrubbed");
        });
    }
}
