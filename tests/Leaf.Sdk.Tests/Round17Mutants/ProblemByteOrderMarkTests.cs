using System.Net;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round17Mutants;

/// <summary>
/// A UTF-8 byte-order mark before a Sync Summary or a login answer is skipped, as the serializer skips it (Round9Parsers'
/// BomTests, Abuse's LoginCharsetTests). Before Leaf's problem body (a gateway on Windows writes one) it was not: the
/// problem reader met 0xEF and read no problem: the exception lost Leaf's title, detail and errorKey. A stray byte of a
/// mark, or one after white space, is still not JSON.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ProblemByteOrderMarkTests
{
    private static readonly byte[] Problem = "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"No access to this grower\",\"errorKey\":\"error.denied\"}"u8.ToArray();

    [Test]
    public void A_problem_after_a_byte_order_mark_is_read()
    {
        var problem = LeafProblemReader.TryRead([0xEF, 0xBB, 0xBF, .. Problem]);

        Assert.That(problem, Is.EqualTo(new LeafProblem(null, "Forbidden", 403, "No access to this grower", null, null, "error.denied")));
    }

    [TestCase(new byte[] { 0xEF })]
    [TestCase(new byte[] { 0xEF, 0xBB })]
    [TestCase(new byte[] { 0x20, 0xEF, 0xBB, 0xBF })]
    public void Only_a_whole_mark_at_the_very_start_is_skipped(byte[] before)
    {
        Assert.That(LeafProblemReader.TryRead([.. before, .. Problem]), Is.Null);
    }

    [Test]
    public async Task A_403_problem_after_a_byte_order_mark_keeps_Leafs_words([Values] ClientKind kind)
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Problem];

        var ex = await Stub.FailureAsync(kind, Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/problem+json").WithBody(body));

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(ex.Problem?.Title, Is.EqualTo("Forbidden"));
            Assert.That(ex.Problem?.ErrorKey, Is.EqualTo("error.denied"));
            Assert.That(ex.Message, Does.Contain("No access to this grower"));
            Assert.That(ex.ResponseExcerpt, Does.StartWith("{\"title\":\"Forbidden\""), "the mark is not quoted");
        });
    }
}
