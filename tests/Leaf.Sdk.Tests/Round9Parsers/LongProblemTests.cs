using System.Net;
using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>
/// An error body is read up to 4 KB. A problem longer than that (a long detail, a stack trace, field errors) was read
/// as JSON that breaks off and dropped whole: the error lost the title, status and error key Leaf sent first.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LongProblemTests
{
    private static readonly string LongProblem =
        "{\"title\":\"Service trouble\",\"status\":503,\"errorKey\":\"error.busy\",\"fieldErrors\":[{\"title\":\"not this\"}],\"detail\":\"" + new string('x', 6000) + "\",\"path\":\"/p\"}";

    [Test]
    public async Task A_problem_longer_than_the_cap_keeps_what_came_before_the_cut([Values] ClientKind kind)
    {
        var ex = await Stub.FailureAsync(kind, LongProblem, status: 503, contentType: "application/problem+json");

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ex.Problem?.Title, Is.EqualTo("Service trouble"));
            Assert.That(ex.Problem?.Status, Is.EqualTo(503));
            Assert.That(ex.Problem?.ErrorKey, Is.EqualTo("error.busy"));
            Assert.That(ex.Problem?.Detail, Is.Null, "cut in two: not quoted as if whole");
            Assert.That(ex.Message, Does.Contain("Service trouble").And.Contain("error.busy"));
        });
    }

    [TestCase("{\"title\":\"T\",\"extra\":{\"title\":\"nested\",\"status\":1", "T", null)]
    [TestCase("{\"title\":\"T\",\"status\":50", "T", null)]
    [TestCase("{\"status\":503,\"title\":\"Serv", null, 503)]
    public void A_cut_member_or_a_cut_container_is_not_read(string start, string? title, int? status)
    {
        var problem = LeafProblemReader.TryRead(Encoding.UTF8.GetBytes(start), complete: false);

        Assert.Multiple(() =>
        {
            Assert.That(problem?.Title, Is.EqualTo(title));
            Assert.That(problem?.Status, Is.EqualTo(status));
        });
    }
}
