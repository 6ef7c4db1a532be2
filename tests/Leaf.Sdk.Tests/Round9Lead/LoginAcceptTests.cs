using Leaf.Sdk.Tests.Round8Requests;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Lead;

/// <summary>The login asks for JSON, as the Sync Summary call does, so a refusal comes back as a problem the SDK reads.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginAcceptTests
{
    private const string Html = "<html><body><h1>401 Unauthorized</h1></body></html>";
    private static readonly string Html401 =
        $"HTTP/1.1 401 Unauthorized\r\nContent-Type: text/html\r\nContent-Length: {Html.Length}\r\n\r\n{Html}";

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_refused_login_behind_a_negotiating_gateway_reports_Leafs_problem_not_an_html_page(ClientKind kind)
    {
        // Spring's error handling (Leaf's stack) and many gateways answer in the format the request accepts: without an
        // Accept header, an HTML error page, which the SDK can only quote.
        using var server = new WireRecorder(r => r.All("Accept").Any(a => a.Contains("application/json", StringComparison.Ordinal))
            ? WireRecorder.Json("""{"title":"Unauthorized","status":401,"detail":"Bad credentials"}""", 401, "Unauthorized")
            : Html401);
        using var client = TestClient.Create(kind, LoginRequestTests.LoginOptions(server, ""));

        var error = await Assert.ThrowsAsync<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        var login = server.Requests.Single(r => r.Method == "POST");
        Assert.That(login.One("Accept"), Is.EqualTo("application/json"));
        Assert.That(error!.Problem?.Detail, Is.EqualTo("Bad credentials"));
    }
}
