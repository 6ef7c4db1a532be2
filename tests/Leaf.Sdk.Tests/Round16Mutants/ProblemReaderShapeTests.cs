using System.Text;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Tests.Round16Mutants;

/// <summary>
/// LeafProblemReader reads Leaf's problem body leniently (its XML docs): any member may be missing, of an unexpected
/// type or spelled in another case; an object or array member is skipped whole, so the members after it still count;
/// comments a gateway leaves in are skipped; and an object with no member that could be read is no problem at all.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ProblemReaderShapeTests
{
    private static LeafProblem? Read(string body) => LeafProblemReader.TryRead(Encoding.UTF8.GetBytes(body));

    [Test]
    public void Members_after_an_object_or_an_array_member_are_read()
    {
        var problem = Read("{\"extensions\":{\"title\":\"not this\",\"status\":1},\"fieldErrors\":[{\"detail\":\"nor this\"}],\"title\":\"Forbidden\",\"status\":403,\"detail\":\"No access\"}");

        Assert.Multiple(() =>
        {
            Assert.That(problem?.Title, Is.EqualTo("Forbidden"));
            Assert.That(problem?.Status, Is.EqualTo(403));
            Assert.That(problem?.Detail, Is.EqualTo("No access"));
        });
    }

    [Test]
    public void Member_names_are_read_in_any_case()
    {
        var problem = Read("{\"TYPE\":\"about:blank\",\"Title\":\"T\",\"STATUS\":418,\"Detail\":\"D\",\"PATH\":\"/p\",\"Message\":\"m\",\"errorkey\":\"error.x\"}");

        Assert.That(problem, Is.EqualTo(new LeafProblem("about:blank", "T", 418, "D", "/p", "m", "error.x")));
    }

    [Test]
    public void Comments_in_a_problem_are_skipped()
    {
        var problem = Read("/* gateway */ {\"title\":\"T\", // why\n \"status\":502 /* end */}");

        Assert.Multiple(() =>
        {
            Assert.That(problem?.Title, Is.EqualTo("T"));
            Assert.That(problem?.Status, Is.EqualTo(502));
        });
    }

    [TestCase("{\"status\":\"503\"}", 503)]
    [TestCase("{\"status\":503}", 503)]
    [TestCase("{\"status\":\"-1\",\"title\":\"t\"}", -1)]
    [TestCase("{\"status\":2147483648,\"title\":\"t\"}", null)]
    [TestCase("{\"status\":503.5,\"title\":\"t\"}", null)]
    [TestCase("{\"status\":\"five\",\"title\":\"t\"}", null)]
    [TestCase("{\"status\":true,\"title\":\"t\"}", null)]
    public void A_status_is_read_from_a_whole_number_or_a_string_of_one(string body, int? status)
    {
        Assert.That(Read(body)?.Status, Is.EqualTo(status));
    }

    [TestCase("{\"title\":5,\"status\":\"x\",\"detail\":null,\"errorKey\":[\"a\"],\"extra\":\"y\"}")]
    [TestCase("{}")]
    [TestCase("[{\"title\":\"T\"}]")]
    [TestCase("\"title\"")]
    [TestCase("")]
    [TestCase("<html>502</html>")]
    public void A_body_with_nothing_readable_is_no_problem(string body)
    {
        Assert.That(Read(body), Is.Null);
    }

    [TestCase("{\"type\":\"t\"}", "type")]
    [TestCase("{\"title\":\"t\"}", "title")]
    [TestCase("{\"status\":\"7\"}", "status")]
    [TestCase("{\"detail\":\"t\"}", "detail")]
    [TestCase("{\"path\":\"t\"}", "path")]
    [TestCase("{\"message\":\"t\"}", "message")]
    [TestCase("{\"errorKey\":\"t\"}", "errorKey")]
    public void Any_one_readable_member_makes_a_problem(string body, string member)
    {
        var problem = Read(body);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Not.Null, member);
            Assert.That(
                new object?[] { problem?.Type, problem?.Title, problem?.Status, problem?.Detail, problem?.Path, problem?.Message, problem?.ErrorKey }.Count(v => v is not null),
                Is.EqualTo(1),
                "only the member sent is set");
        });
    }
}
