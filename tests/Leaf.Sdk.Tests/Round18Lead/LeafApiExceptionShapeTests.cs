using System.Net;

namespace Leaf.Sdk.Tests.Round18Lead;

/// <summary>
/// <see cref="LeafApiException"/>'s constructors are public so that an app's own fakes can throw what the SDK throws:
/// each keeps what it is given, and <see cref="LeafApiException.ToString"/> adds a line only for a detail there is.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LeafApiExceptionShapeTests
{
    [Test]
    public void The_message_and_cause_constructor_keeps_the_cause()
    {
        var cause = new IOException("The connection was reset.");

        var error = new LeafApiException("Leaf did not answer.", cause);

        Assert.Multiple(() =>
        {
            Assert.That(error.InnerException, Is.SameAs(cause));
            Assert.That(error.Message, Is.EqualTo("Leaf did not answer."));
            Assert.That(error.ToString(), Does.Contain("The connection was reset."), "the cause is printed, as for any exception");
        });
    }

    [TestCase("")]
    [TestCase(null)]
    public void ToString_has_no_response_line_without_an_excerpt(string? excerpt)
    {
        var text = new LeafApiException("Leaf answered 503.", HttpStatusCode.ServiceUnavailable, responseExcerpt: excerpt, attempts: 4).ToString();

        Assert.That(text, Does.Contain("\nStatus: 503 ServiceUnavailable").And.Contain("\nAttempts: 4").And.Not.Contain("Response:"));
    }
}
