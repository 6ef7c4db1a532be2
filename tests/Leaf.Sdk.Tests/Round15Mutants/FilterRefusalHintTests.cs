using System.Net;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round15Mutants;

/// <summary>
/// A 400 or 422 to the Sync Summary request is Leaf refusing what was asked: LeafErrors ends its message with "Check the
/// provider and leafUserId filters." No test quoted that hint, so a 400 could fall into the 3xx arm just before it
/// (" The SDK does not follow redirects ...; check BaseAddress.") and send the user to the wrong setting unnoticed.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FilterRefusalHintTests
{
    [Test]
    public async Task A_refused_request_points_at_the_filters_not_at_a_redirect([Values] ClientKind kind, [Values(400, 422)] int status)
    {
        using var server = Stub.Start();
        server.Resources(AuthStub.Problem(status, "Bad Request", "leafUserId is not a valid UUID"), status);
        using var client = TestClient.Create(kind, Stub.Options(server));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync(leafUserId: Guid.Parse(LeafJson.UserId)));

        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(error.Message, Does.EndWith(" Check the provider and leafUserId filters."));
            Assert.That(error.Message, Does.Not.Contain("redirect"));
        });
    }
}
