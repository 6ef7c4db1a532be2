using System.Net;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Abuse;

/// <summary>
/// A success status other than 200 whose body is no Sync Summary (a 204 has none at all) fails with the status Leaf
/// sent, in StatusCode and in the message, not with a 200 it never sent.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SuccessStatusTests
{
    [Test]
    public async Task A_success_status_other_than_200_without_a_Sync_Summary_is_reported_as_sent(
        [Values(ClientKind.Standalone, ClientKind.DependencyInjection)] ClientKind kind,
        [Values(201, 202, 204, 206)] int status)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(status));
        using var client = TestClient.Create(kind, Stub.Options(server, maxRetries: 2));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
        Assert.That(error.Message, Does.StartWith($"Leaf answered {status} "));
        Assert.That(error.Message, Does.Contain("empty body where a Sync Summary was expected"));
        Assert.That(error.IsTransient, Is.False);
        Assert.That(error.Attempts, Is.EqualTo(1));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_203_with_an_HTML_page_says_so_with_its_status(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, "<html><body>Signed in elsewhere</body></html>", status: 203, contentType: "text/html");

        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.NonAuthoritativeInformation));
        Assert.That(error.Message, Is.EqualTo("Leaf answered 203 Non-Authoritative Information with HTML instead of JSON (a proxy or gateway error page?)."));
        Assert.That(error.ResponseExcerpt, Does.Contain("Signed in elsewhere"));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_200_that_is_no_Sync_Summary_keeps_its_message(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, string.Empty);

        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(error.Message, Is.EqualTo("Leaf answered with an empty body where a Sync Summary was expected."));
    }
}
