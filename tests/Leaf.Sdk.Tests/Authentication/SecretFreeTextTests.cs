using Leaf.Sdk.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>ToString() of everything that holds a secret shows none.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SecretFreeTextTests
{
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.TOKEN-VALUE-42";
    private const string Password = "PASSWORD-VALUE-42";

    [Test]
    public void Options_ToString_shows_how_but_not_the_secret()
    {
        var withToken = new LeafClientOptions { AccessToken = Token };
        var withLogin = new LeafClientOptions { Username = AuthStub.Username, Password = Password };
        var withSource = new LeafClientOptions { TokenSource = new RotatingTokenSource(Token) };

        Assert.That(withToken.ToString(), Does.Contain("access token").And.Not.Contain("TOKEN-VALUE"));
        Assert.That(withLogin.ToString(), Does.Contain(AuthStub.Username).And.Not.Contain(Password));
        Assert.That(withSource.ToString(), Does.Contain("custom token source").And.Not.Contain("TOKEN-VALUE"));
    }

    [Test]
    public async Task Token_sources_ToString_show_no_secret()
    {
        using var server = Stub.Start();
        server.LoginIssues(Token);
        var options = AuthStub.LoginOptions(server);
        options.Password = Password;
        using var http = new HttpClient { BaseAddress = new Uri(server.Url!) };
        var login = new LeafLoginTokenSource(() => http, options, TimeProvider.System, NullLogger.Instance);
        var issued = await login.GetTokenAsync(forceRenewal: false, CancellationToken.None);

        Assert.That(issued, Is.EqualTo(Token), "the source really holds the secret it must not print");
        Assert.That(login.ToString(), Does.Not.Contain("TOKEN-VALUE").And.Not.Contain(Password));
        Assert.That(new StaticTokenSource(Token).ToString(), Does.Not.Contain("TOKEN-VALUE"));
        Assert.That(new LoginRequest(AuthStub.Username, Password, "true").ToString(), Does.Not.Contain(Password));
        Assert.That(new LoginResponse(Token).ToString(), Does.Not.Contain("TOKEN-VALUE"));
    }

    [Test]
    public void Exceptions_for_rejected_tokens_show_no_token()
    {
        var error = new LeafAuthenticationException("Leaf answered 401", System.Net.HttpStatusCode.Unauthorized, responseExcerpt: Diagnostics.Redaction.Excerpt(System.Text.Encoding.UTF8.GetBytes($$"""{"id_token":"{{Token}}","password":"{{Password}}"}"""), cutShort: false));

        Assert.That(error.ToString(), Does.Not.Contain("TOKEN-VALUE").And.Not.Contain(Password));
    }
}
