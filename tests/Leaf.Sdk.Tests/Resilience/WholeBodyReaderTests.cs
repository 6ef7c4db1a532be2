using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// The hand-written reader for small bodies reads Leaf's usual shapes itself and declines the rest to the serializer;
/// that both read every body alike is the fuzz test's job (<see cref="ParserFuzzTests"/>).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class WholeBodyReaderTests
{
    [TestCase(LeafJson.DocumentedExample, 1)]
    [TestCase(LeafJson.ClimateWithoutGrowers, 1)]
    [TestCase(LeafJson.OlderBareArray, 1)]
    [TestCase("""{"message":"SUCCESS","summaries":[]}""", 0)]
    [TestCase("""{"message":null,"summaries":null}""", -1)]
    [TestCase("""{"extra":{"a":[1,{"b":null}]},"summaries":[null,{"provider":"Stara"}],"message":"SUCCESS"}""", 2)]
    public void Reads_Leafs_usual_shapes_itself(string body, int count)
    {
        var envelope = WholeBodyReader.TryRead(Encoding.UTF8.GetBytes(body.Trim()));

        Assert.That(envelope, Is.Not.Null, "read without the serializer");
        Assert.That(envelope!.Summaries?.Count ?? -1, Is.EqualTo(count));
    }

    [TestCase("""{"Summaries":[{"provider":"JohnDeere"}]}""", "a key in another case")]
    [TestCase("""{"summaries":{}}""", "a wrong type")]
    [TestCase("""{"message":1,"summaries":[]}""", "a wrong type")]
    [TestCase("""{"summaries":[1]}""", "a summary the converter rejects")]
    [TestCase("""{"summaries":[]} {}""", "data after the root value")]
    [TestCase("""{"summaries":[""", "JSON that breaks off")]
    [TestCase("42", "a scalar")]
    public void Declines_everything_else_to_the_serializer(string body, string what)
    {
        Assert.That(WholeBodyReader.TryRead(Encoding.UTF8.GetBytes(body)), Is.Null, what);
    }

    [Test]
    public async Task A_declined_body_that_the_serializer_accepts_still_parses()
    {
        using var content = new ByteArrayContent("""{"MESSAGE":"SUCCESS","Summaries":[{"provider":"JohnDeere","fields":3}]}"""u8.ToArray());

        var response = await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Message, Is.EqualTo("SUCCESS"));
            Assert.That(response.Summaries.Single().Fields, Is.EqualTo(3));
        });
    }
}
