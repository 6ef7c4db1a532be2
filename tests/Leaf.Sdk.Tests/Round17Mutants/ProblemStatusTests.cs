using System.Text;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Tests.Round17Mutants;

/// <summary>
/// A problem's status is read from any whole number, as a JSON number or a string of one (Round16Mutants'
/// ProblemReaderShapeTests pins the string "-1"): the same number reads the same in either spelling, zero and negative
/// ones included; the reader reports what Leaf said, it does not judge it.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ProblemStatusTests
{
    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(403)]
    public void A_status_reads_the_same_as_a_number_and_as_a_string(int status)
    {
        var asNumber = LeafProblemReader.TryRead(Encoding.UTF8.GetBytes($"{{\"title\":\"t\",\"status\":{status}}}"));
        var asString = LeafProblemReader.TryRead(Encoding.UTF8.GetBytes($"{{\"title\":\"t\",\"status\":\"{status}\"}}"));

        Assert.Multiple(() =>
        {
            Assert.That(asNumber?.Status, Is.EqualTo(status));
            Assert.That(asString?.Status, Is.EqualTo(status));
        });
    }
}
