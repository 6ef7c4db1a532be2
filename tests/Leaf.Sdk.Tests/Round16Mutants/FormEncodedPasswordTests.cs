using System.Web;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round10Secrets;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round16Mutants;

/// <summary>
/// A server that quotes the login it refused as a form or a query string spells the password URL-encoded. The SDK
/// removed it as Uri.EscapeDataString spells it (in either case of hex digit) and as WebUtility.UrlEncode does (a
/// space as '+', "!*()" left as they are), but that last only with upper-case hex: .NET's own HttpUtility.UrlEncode
/// writes lower-case hex, and a password with '!' (or a space) and a '/', '=', '+' or ':' went through whole.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FormEncodedPasswordTests
{
    [TestCase(ClientKind.Standalone, 401)]
    [TestCase(ClientKind.DependencyInjection, 401)]
    [TestCase(ClientKind.Standalone, 400)]
    public async Task A_refused_login_quoting_the_password_form_encoded_in_lower_case_hex_shows_none_of_it(ClientKind kind, int status)
    {
        var unique = Guid.NewGuid().ToString("N");
        var password = "Pass word!" + unique + "/=";
        var echoed = HttpUtility.UrlEncode(password);
        Assume.That(echoed, Does.Contain("%2f").And.Contain("+"), "lower-case hex, a space as '+'");
        using var channels = new SecretChannels();
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(status).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"title":"Refused","detail":"username={{HttpUtility.UrlEncode(AuthStub.Username)}}&password={{echoed}}"}"""));
        var options = AuthStub.LoginOptions(server);
        options.Password = password;
        using var client = TestClient.Create(kind, options, loggerFactory: channels.LoggerFactory);

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());
        channels.Add(error);

        Assert.Multiple(() =>
        {
            Assert.That((int?)error.StatusCode, Is.EqualTo(status));
            Assert.That(error.Problem?.Detail, Does.EndWith("password=[redacted]"));
            Assert.That(channels.Texts().Where(t => t.Contains(unique, StringComparison.Ordinal)), Is.Empty);
        });
    }
}
