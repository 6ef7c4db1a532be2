using System.Net;
using System.Text.Json;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>The credentials login: what it sends, and how a refusal or an outage of the login is handled.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginTests
{
    [TestCase(ClientKind.Standalone, true)]
    [TestCase(ClientKind.Standalone, false)]
    [TestCase(ClientKind.DependencyInjection, true)]
    [TestCase(ClientKind.DependencyInjection, false)]
    public async Task Login_posts_the_credentials_as_json_without_a_bearer_token(ClientKind kind, bool rememberMe)
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)));
        server.Resources(LeafJson.DocumentedExample);
        var options = AuthStub.LoginOptions(server);
        options.RememberMe = rememberMe;
        using var client = TestClient.Create(kind, options);

        await client.Client.GetResourcesAsync();

        var login = server.LogEntries.Select(e => e.RequestMessage!).Single(r => r.Path == AuthStub.LoginPath);
        using var body = JsonDocument.Parse(login.Body!);
        var root = body.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(login.Method, Is.EqualTo("POST"));
            Assert.That(login.Headers!.ContainsKey("Authorization"), Is.False, "the login must not carry a bearer token");
            Assert.That(login.Headers["Content-Type"].Single(), Does.StartWith("application/json"));
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "username", "password", "rememberMe" }));
            Assert.That(root.GetProperty("username").GetString(), Is.EqualTo(AuthStub.Username));
            Assert.That(root.GetProperty("password").GetString(), Is.EqualTo(AuthStub.Password));
            Assert.That(root.GetProperty("rememberMe").ValueKind, Is.EqualTo(JsonValueKind.String), "Leaf documents rememberMe as a string");
            Assert.That(root.GetProperty("rememberMe").GetString(), Is.EqualTo(rememberMe ? "true" : "false"));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Wrong_password_is_refused_once_with_Leafs_message(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        var options = server.CreateLoginOptions();
        options.Password = "not-the-password";
        options.MaxRetries = 3;
        using var client = TestClient.Create(kind, options);

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(error.Message, Does.Contain("Bad credentials").And.Contain("Username and Password"));
        Assert.That(server.LoginCount, Is.EqualTo(1), "a refused login is never retried");
        Assert.That(server.Requests.Select(r => r.Path), Is.EqualTo(new[] { FakeLeafServer.LoginPath }), "no resource call without a token");
    }

    [TestCase(ClientKind.Standalone, 400, "Bad Request", "Username must not be blank")]
    [TestCase(ClientKind.Standalone, 403, "Forbidden", "Account locked")]
    [TestCase(ClientKind.DependencyInjection, 400, "Bad Request", "Username must not be blank")]
    [TestCase(ClientKind.DependencyInjection, 403, "Forbidden", "Account locked")]
    public async Task Login_400_and_403_are_authentication_errors_never_retried(ClientKind kind, int status, string title, string detail)
    {
        using var server = Stub.Start();
        server.Login(status, AuthStub.Problem(status, title, detail));
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server, maxRetries: 3));

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.That((int?)error.StatusCode, Is.EqualTo(status));
        Assert.That(error.Message, Does.Contain($"({status} {title}): {detail}."), "the status once, in words, then what Leaf said; a title that only names the status is not repeated");
        Assert.That(error.Problem?.Detail, Is.EqualTo(detail));
        Assert.That(server.LoginRequests(), Is.EqualTo(1));
        Assert.That(server.ResourceRequests(), Is.Zero);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_refused_login_says_what_Leaf_said_as_any_other_error_does(ClientKind kind)
    {
        // An empty detail must not hide the title; the same words as an error from the resources call.
        using var server = Stub.Start();
        server.Login(403, AuthStub.Problem(403, "Account locked", ""));
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server, maxRetries: 3));

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.Message, Does.Contain("(403 Forbidden): Account locked. Check Username and Password."));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Login_429_is_not_retried(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0").WithBody(""));
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server, maxRetries: 3));

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(server.LoginRequests(), Is.EqualTo(1), "DESIGN §4: the login is never retried on a 4xx");
        Assert.That(server.ResourceRequests(), Is.Zero);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Login_503_is_retried_like_any_call(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        var options = server.CreateLoginOptions();
        options.RetryBaseDelay = TimeSpan.Zero;   // retry at once: the back-off is not what this test is about
        using var client = TestClient.Create(kind, options);
        server.FailNext(1, HttpStatusCode.ServiceUnavailable);

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Is.Not.Empty);
        Assert.That(server.LoginCount, Is.EqualTo(2));
        Assert.That(server.Requests.Select(r => (r.Path, r.StatusCode)), Is.EqualTo(new[]
        {
            (FakeLeafServer.LoginPath, 503),
            (FakeLeafServer.LoginPath, 200),
            (FakeLeafServer.ResourcesPath, 200),
        }));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_login_that_keeps_failing_is_retried_MaxRetries_times_not_more(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Login(503, AuthStub.Problem(503, "Service Unavailable", "maintenance"));
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server, maxRetries: 2));

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        // The login's own retries happen inside one attempt of the call; the call must not retry them again.
        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(error.IsTransient, Is.True);
        Assert.That(error.Attempts, Is.EqualTo(3), "the login's attempts, as its message says");
        Assert.That(error.Message, Does.Contain("to the login after 3 attempts"));
        Assert.That(server.LoginRequests(), Is.EqualTo(3));
        Assert.That(server.ResourceRequests(), Is.Zero);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_login_whose_connection_is_refused_is_retried_then_says_so(ClientKind kind)
    {
        using var closed = new ClosedPort();
        var options = LoginOptions(closed.Url, maxRetries: 2);
        using var client = TestClient.Create(kind, options);

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("Could not reach Leaf at 127.0.0.1 for the login after 3 attempts: the connection was refused."));
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(error.IsTransient, Is.True);
            Assert.That(error.Attempts, Is.EqualTo(3), "the login's own attempts; the call does not retry them again");
            Assert.That(error.InnerException, Is.TypeOf<HttpRequestException>());
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_login_whose_connection_is_reset_is_retried_then_says_so(ClientKind kind)
    {
        using var raw = new RawHttpServer(_ => null, reset: _ => true);
        using var client = TestClient.Create(kind, LoginOptions(raw.Url, maxRetries: 2));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("Could not reach Leaf at 127.0.0.1 for the login after 3 attempts: the connection was reset."));
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(error.IsTransient, Is.True);
            Assert.That(error.Attempts, Is.EqualTo(3));
            Assert.That(raw.Requests, Is.EqualTo(3), "three logins, and no Sync Summary request without a token");
        });
    }

    // The login runs inside the call's attempt, and both start their AttemptTimeout at once: for the caller whose
    // attempt started the login, the call's own time-out is the one that fires (it was set first); no request was sent,
    // so its message names the login.
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_login_that_never_answers_ends_the_call_at_the_attempt_timeout(ClientKind kind)
    {
        var time = new FakeTimeProvider();
        using var raw = new RawHttpServer(_ => [], stallAfterReply: true);
        using var client = TestClient.Create(kind, LoginOptions(raw.Url, maxRetries: 0), time);

        var call = client.Client.GetResourcesAsync();
        await ResilienceHarness.WaitUntilAsync(() => raw.Requests == 1, "the login is on the server");
        time.Advance(TimeSpan.FromSeconds(5));
        var error = await Expect.Throws<LeafApiException>(() => call);

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("The login to Leaf did not finish within AttemptTimeout (5 s), so the Sync Summary request was not sent; Leaf may be overloaded, or raise AttemptTimeout."));
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(error.IsTransient, Is.True);
            Assert.That(raw.Requests, Is.EqualTo(1));
        });
    }

    // A caller that joins a login already under way has more of its own attempt left than the login has: the login's
    // time-out fires first, and that caller is told it was the login that did not answer.
    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_caller_sharing_a_login_that_times_out_is_told_the_login_did_not_answer(ClientKind kind)
    {
        var time = new FakeTimeProvider();
        using var raw = new RawHttpServer(_ => [], stallAfterReply: true);
        using var client = TestClient.Create(kind, LoginOptions(raw.Url, maxRetries: 0), time);

        var first = client.Client.GetResourcesAsync();
        await ResilienceHarness.WaitUntilAsync(() => raw.Requests == 1, "the login is on the server");
        time.Advance(TimeSpan.FromSeconds(2));
        // The call reaches the login under way before its first await, so it has joined it when the clock moves on.
        var second = client.Client.GetResourcesAsync();
        time.Advance(TimeSpan.FromSeconds(3));
        var firstError = await Expect.Throws<LeafApiException>(() => first);
        var secondError = await Expect.Throws<LeafApiException>(() => second);

        Assert.Multiple(() =>
        {
            Assert.That(firstError.Message, Does.StartWith("The login to Leaf did not finish within AttemptTimeout (5 s), so the Sync Summary request was not sent"));
            Assert.That(secondError.Message, Is.EqualTo("Leaf did not answer the login within AttemptTimeout (5 s); the service may be overloaded, or raise AttemptTimeout."));
            Assert.That(secondError.StatusCode, Is.Null);
            Assert.That(secondError.IsTransient, Is.True);
            Assert.That(secondError.InnerException, Is.InstanceOf<Polly.Timeout.TimeoutRejectedException>());
            Assert.That(raw.Requests, Is.EqualTo(1), "the second caller shared the first caller's login");
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_failed_login_is_not_cached(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        var options = server.CreateLoginOptions();
        options.MaxRetries = 0;
        using var client = TestClient.Create(kind, options);
        server.FailNext(1, HttpStatusCode.InternalServerError);

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());
        var response = await client.Client.GetResourcesAsync();

        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(response.Summaries, Is.Not.Empty);
        Assert.That(server.LoginCount, Is.EqualTo(2));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_refused_login_is_not_cached_either(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .InScenario("password reset").WillSetStateTo("reset")
            .RespondWith(Response.Create().WithStatusCode(401).WithBody(AuthStub.Problem(401, "Unauthorized", "Bad credentials")));
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost())
            .InScenario("password reset").WhenStateIs("reset")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new Dictionary<string, string> { ["id_token"] = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)) }));
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, AuthStub.LoginOptions(server));

        await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());
        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
        Assert.That(server.LoginRequests(), Is.EqualTo(2));
    }

    [TestCase("""{"token":"x"}""", "no id_token")]
    [TestCase("""<html>proxy</html>""", "not valid JSON")]
    public async Task A_login_answer_without_a_token_is_an_authentication_error(string body, string expected)
    {
        using var server = Stub.Start();
        server.Login(200, body);
        using var client = TestClient.Create(ClientKind.Standalone, AuthStub.LoginOptions(server, maxRetries: 3));

        var error = await Expect.Throws<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.That(error.Message, Does.Contain(expected));
        Assert.That(server.LoginRequests(), Is.EqualTo(1));
    }

    [TestCase(ClientKind.Standalone, "/leaf")]
    [TestCase(ClientKind.Standalone, "/leaf/")]
    [TestCase(ClientKind.DependencyInjection, "/leaf")]
    [TestCase(ClientKind.DependencyInjection, "/leaf/")]
    public async Task Login_goes_under_the_same_root_as_the_api_calls(ClientKind kind, string root)
    {
        // A gateway or egress proxy may expose Leaf under a path of its own.
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath("/leaf" + AuthStub.LoginPath).UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new Dictionary<string, string> { ["id_token"] = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1)) }));
        server.Given(Request.Create().WithPath("/leaf" + Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
        var options = AuthStub.LoginOptions(server);
        options.BaseAddress = new Uri(server.Url + root);
        using var client = TestClient.Create(kind, options);

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
        Assert.That(server.LogEntries.Select(e => e.RequestMessage!.Path), Is.EqualTo(new[] { "/leaf" + AuthStub.LoginPath, "/leaf" + Stub.ResourcesPath }));
    }

    private static LeafClientOptions LoginOptions(Uri baseAddress, int maxRetries) => new()
    {
        BaseAddress = baseAddress,
        Username = AuthStub.Username,
        Password = AuthStub.Password,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(30),
        EnableCircuitBreaker = false,
    };
}
