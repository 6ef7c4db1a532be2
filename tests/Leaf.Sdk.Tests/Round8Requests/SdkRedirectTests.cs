using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round8Requests;

/// <summary>
/// Redirects the earlier rounds did not cover (301, 303, 308, to http://, relative), against the SDK's own handler:
/// nothing follows, and the user is told why.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SdkRedirectTests
{
    [TestCase(ClientKind.Standalone, 301, "http://localhost:{0}/services/integrations/api/resources", " (to localhost)")]
    [TestCase(ClientKind.DependencyInjection, 303, "http://localhost:{0}/elsewhere", " (to localhost)")]
    [TestCase(ClientKind.Standalone, 308, "/leaf/services/integrations/api/resources", "")]
    [TestCase(ClientKind.DependencyInjection, 308, "http://localhost:{0}/services/integrations/api/resources", " (to localhost)")]
    public async Task A_redirected_call_is_not_followed_and_says_so(ClientKind kind, int status, string location, string named)
    {
        using var elsewhere = new WireRecorder(_ => WireRecorder.Json(LeafJson.DocumentedExample));
        using var leaf = new WireRecorder(_ => Redirect(status, string.Format(System.Globalization.CultureInfo.InvariantCulture, location, elsewhere.Port)));
        var options = RequestLineTests.Options(leaf.Url);
        options.MaxRetries = 3;
        using var client = TestClient.Create(kind, options);

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That((int?)error.StatusCode, Is.EqualTo(status));
        Assert.That(error.Message, Does.Contain($"does not follow redirects{named}, so the token never leaves 127.0.0.1"));
        Assert.That(error.IsTransient, Is.False);
        Assert.That(leaf.Requests, Has.Count.EqualTo(1), "a redirect is not retried either");
        Assert.That(elsewhere.Requests, Is.Empty);
    }

    [TestCase(ClientKind.Standalone, 308)]
    [TestCase(ClientKind.DependencyInjection, 302)]
    public async Task A_redirected_login_is_not_followed(ClientKind kind, int status)
    {
        using var elsewhere = new WireRecorder(_ => WireRecorder.Json($$"""{"id_token":"{{AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1))}}"}"""));
        using var leaf = new WireRecorder(_ => Redirect(status, $"http://localhost:{elsewhere.Port}/api/authenticate"));
        using var client = TestClient.Create(kind, LoginRequestTests.LoginOptions(leaf, ""));

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That((int?)error.StatusCode, Is.EqualTo(status));
        Assert.That(error.Message, Does.Contain("to the login").And.Contain("does not follow redirects"));
        Assert.That(leaf.Requests.Select(r => r.Method), Is.EqualTo(new[] { "POST" }));
        Assert.That(elsewhere.Requests, Is.Empty);
    }

    private static string Redirect(int status, string location) =>
        $"HTTP/1.1 {status} Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n";
}
