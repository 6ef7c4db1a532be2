using System.Net;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Abuse;

/// <summary>
/// A body that says it is compressed (Content-Encoding) and is not, as a misconfigured proxy sends it: an error answer
/// is still judged by its status (retried when transient, reported with it), losing only its excerpt, as a body that
/// breaks off does; a Sync Summary says what was wrong instead of "failed unexpectedly: InvalidDataException".
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class MislabelledEncodingTests
{
    [Test]
    public async Task A_transient_error_whose_body_cannot_be_decompressed_is_retried(
        [Values(ClientKind.Standalone, ClientKind.DependencyInjection)] ClientKind kind,
        [Values("gzip", "deflate")] string encoding)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario("outage").WillSetStateTo("over")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Content-Type", "text/html").WithHeader("Content-Encoding", encoding).WithBody("<html>Service Unavailable</html>"));
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario("outage").WhenStateIs("over")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
        using var client = TestClient.Create(kind, Stub.Options(server, maxRetries: 2));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
        Assert.That(server.LogEntries, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task An_error_whose_body_cannot_be_decompressed_is_reported_by_its_status(
        [Values(ClientKind.Standalone, ClientKind.DependencyInjection)] ClientKind kind,
        [Values(404, 500)] int status)
    {
        var error = await Stub.FailureAsync(kind, Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithHeader("Content-Encoding", "gzip").WithBody("""{"title":"Not Found"}"""));

        Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
        Assert.That(error.Message, Does.StartWith($"Leaf answered {status} "));
        Assert.That(error.ResponseExcerpt, Is.Null);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_Sync_Summary_that_cannot_be_decompressed_says_so(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithHeader("Content-Encoding", "gzip").WithBody(LeafJson.DocumentedExample), maxRetries: 2);

        Assert.That(error.Message, Does.Contain("could not be decompressed").And.Contain("Content-Encoding"));
        Assert.That(error.InnerException, Is.InstanceOf<InvalidDataException>());
        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(error.Attempts, Is.EqualTo(1), "a body that is not what its headers say is not retried");
    }
}
