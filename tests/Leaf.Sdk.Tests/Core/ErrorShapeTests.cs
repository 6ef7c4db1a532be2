using System.Net;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Core;

/// <summary>Every way Leaf (or what stands in front of it) can answer badly, and the exception each one becomes.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ErrorShapeTests
{
    private static readonly ClientKind[] Kinds = [ClientKind.Standalone, ClientKind.DependencyInjection];

    private const string ProxyHtml = """
        <html>
        <head><title>502 Bad Gateway</title></head>
        <body>
        <center><h1>502 Bad Gateway</h1></center>
        <hr><center>nginx</center>
        </body>
        </html>
        """;

    private static string Problem(int status, string title, string detail, string errorKey) => $$"""
        {"type":"https://www.jhipster.tech/problem/problem-with-message","title":"{{title}}","status":{{status}},"detail":"{{detail}}","path":"/services/integrations/api/resources","message":"error.http.{{status}}","errorKey":"{{errorKey}}"}
        """;

    private static IEnumerable<TestCaseData> ProblemStatuses()
    {
        var cases = new (int Status, string Title, string Detail, string ErrorKey, bool Transient)[]
        {
            (400, "Bad Request", "Invalid value for parameter provider", "invalidProvider", false),
            (403, "Forbidden", "Access is denied for this Leaf user", "accessDenied", false),
            (404, "Not Found", "Leaf user not found", "leafUserNotFound", false),
            (409, "Conflict", "A sync is already running for this Leaf user", "syncInProgress", false),
            (422, "Unprocessable Entity", "leafUserId is not a valid UUID", "invalidLeafUserId", false),
            (500, "Internal Server Error", "Unexpected error while reading summaries", "internalError", true),
        };
        foreach (var kind in Kinds)
        {
            foreach (var c in cases)
            {
                yield return new TestCaseData(kind, c.Status, c.Title, c.Detail, c.ErrorKey, c.Transient).SetArgDisplayNames(kind.ToString(), c.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [TestCaseSource(nameof(ProblemStatuses))]
    public async Task An_error_status_with_a_problem_body_becomes_a_LeafApiException_that_quotes_the_problem(
        ClientKind kind, int status, string title, string detail, string errorKey, bool transient)
    {
        var body = Problem(status, title, detail, errorKey);

        var error = await Stub.FailureAsync(kind, body, status);

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(error.Message, Does.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(error.Message, Does.Contain("Sync Summary"), "the message says which call failed");
            Assert.That(error.Message, Does.Contain($"{status} {title} to the Sync Summary request: {detail} (error key {errorKey})."), "a title that only names the status is said once, with the status");
            Assert.That(error.Message.Split(title).Length - 1, Is.EqualTo(1), "the status's name appears once");
            Assert.That(error.Message, Does.Contain(errorKey));
            Assert.That(error.Problem, Is.Not.Null);
            Assert.That(error.Problem!.Title, Is.EqualTo(title));
            Assert.That(error.Problem.Detail, Is.EqualTo(detail));
            Assert.That(error.Problem.ErrorKey, Is.EqualTo(errorKey));
            Assert.That(error.Problem.Status, Is.EqualTo(status));
            Assert.That(error.Problem.Message, Is.EqualTo($"error.http.{status}"));
            Assert.That(error.Problem.Path, Is.EqualTo(Stub.ResourcesPath));
            Assert.That(error.ResponseExcerpt, Does.StartWith("{\"type\""));
            Assert.That(error.IsTransient, Is.EqualTo(transient));
            Assert.That(error.Attempts, Is.EqualTo(1));
        });
    }

    [TestCase(ClientKind.Standalone, 400)]
    [TestCase(ClientKind.DependencyInjection, 400)]
    [TestCase(ClientKind.Standalone, 403)]
    [TestCase(ClientKind.DependencyInjection, 404)]
    [TestCase(ClientKind.Standalone, 409)]
    [TestCase(ClientKind.DependencyInjection, 422)]
    public async Task A_client_error_is_not_retried_even_when_retries_are_allowed(ClientKind kind, int status)
    {
        using var server = Stub.Start();
        server.Resources(Problem(status, "Nope", "Not this way", "nope"), status);
        using var client = TestClient.Create(kind, Stub.Options(server, maxRetries: 3));

        var error = await CoreTestKit.ThrowsExactly<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That(server.Requests(), Has.Count.EqualTo(1));
        Assert.That(error.Attempts, Is.EqualTo(1));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_title_of_Leafs_own_words_is_quoted_before_the_detail(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, Problem(409, "Sync running", "A sync is already running for this Leaf user", "syncInProgress"), 409);

        Assert.That(error.Message, Does.Contain("409 Conflict to the Sync Summary request: Sync running: A sync is already running for this Leaf user (error key syncInProgress)."));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_title_that_only_names_the_status_and_no_detail_leaves_the_status_alone(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, """{"title":"Not Found","status":404,"message":"error.http.404"}""", 404);

        Assert.That(error.Message, Does.StartWith("Leaf answered 404 Not Found to the Sync Summary request. Check"), "nothing to add to the status, and the message key is not words for people");
        Assert.That(error.Problem!.Title, Is.EqualTo("Not Found"), "the parsed problem keeps what Leaf sent");
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_problem_detail_spanning_several_lines_still_gives_a_one_line_message(ClientKind kind)
    {
        var body = """{"title":"Bad Request","status":400,"detail":"first line\nsecond line\r\nthird line"}""";

        var error = await Stub.FailureAsync(kind, body, 400);

        CoreTestKit.AssertOneLine(error);
        Assert.That(error.Message, Does.Contain("first line").And.Contain("third line"));
        Assert.That(error.Problem!.Detail, Does.Contain('\n'), "the parsed problem keeps Leaf's text as sent");
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_problem_body_with_only_some_members_is_still_read(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, """{"errorKey":"quotaExceeded","unexpected":{"a":[1]}}""", 403);

        Assert.That(error.Problem, Is.Not.Null);
        Assert.That(error.Problem!.ErrorKey, Is.EqualTo("quotaExceeded"));
        Assert.That(error.Problem.Title, Is.Null);
        Assert.That(error.Message, Does.Contain("quotaExceeded").And.Contain("403"));
    }

    private static IEnumerable<TestCaseData> BadlyFormedProblems()
    {
        const string NotFound = "Leaf answered 404 Not Found to the Sync Summary request";
        const string Check = " Check BaseAddress and the leafUserId.";
        var cases = new (string Name, string Body, LeafProblem? Problem, string Message)[]
        {
            ("an array", "[1,2]", null, NotFound + "." + Check),
            ("a string", "\"Leaf user not found\"", null, NotFound + "." + Check),
            ("a number", "42", null, NotFound + "." + Check),
            ("title as a number", """{"title":5,"detail":"Leaf user not found"}""",
                new LeafProblem(null, null, null, "Leaf user not found", null, null, null), NotFound + ": Leaf user not found." + Check),
            ("detail as an object", """{"title":"Leaf user gone","detail":{"a":[1]},"errorKey":"gone"}""",
                new LeafProblem(null, "Leaf user gone", null, null, null, null, "gone"), NotFound + ": Leaf user gone (error key gone)." + Check),
            ("status as a string", """{"title":"Leaf user gone","status":"404"}""",
                new LeafProblem(null, "Leaf user gone", 404, null, null, null, null), NotFound + ": Leaf user gone." + Check),
            ("status as a word", """{"title":"Leaf user gone","status":"missing"}""",
                new LeafProblem(null, "Leaf user gone", null, null, null, null, null), NotFound + ": Leaf user gone." + Check),
            ("status as a fraction", """{"detail":"Leaf user not found","status":404.5}""",
                new LeafProblem(null, null, null, "Leaf user not found", null, null, null), NotFound + ": Leaf user not found." + Check),
            ("every member of the wrong type", """{"title":5,"detail":{},"status":[404],"message":true,"errorKey":null}""", null, NotFound + "." + Check),
        };
        foreach (var kind in Kinds)
        {
            foreach (var c in cases)
            {
                yield return new TestCaseData(kind, c.Body, c.Problem, c.Message).SetArgDisplayNames(kind.ToString(), c.Name);
            }
        }
    }

    // A proxy, a framework's default error page or a Leaf bug can send JSON that is not Leaf's problem shape: the status
    // still decides the exception, and what can be read of the problem is kept.
    [TestCaseSource(nameof(BadlyFormedProblems))]
    public async Task A_badly_formed_problem_body_still_gives_a_LeafApiException_with_the_status(ClientKind kind, string body, LeafProblem? problem, string message)
    {
        var error = await Stub.FailureAsync(kind, body, 404);

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(error.Message, Is.EqualTo(message));
            Assert.That(error.Problem, Is.EqualTo(problem));
            Assert.That(error.ResponseExcerpt, Is.EqualTo(body), "the excerpt shows what Leaf sent");
            Assert.That(error.IsTransient, Is.False);
            Assert.That(error.Attempts, Is.EqualTo(1));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_401_with_a_static_token_is_a_LeafAuthenticationException_after_one_request(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.Unauthorized401, 401);
        using var client = TestClient.Create(kind, Stub.Options(server, maxRetries: 3));

        var error = await CoreTestKit.ThrowsExactly<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(server.Requests(), Has.Count.EqualTo(1), "a fixed token cannot be renewed, so it is not resent");
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(error.Message, Does.Contain("401"));
            Assert.That(error.Message, Does.Contain("Full authentication is required to access this resource"));
            Assert.That(error.Message, Does.Contain("token"), "the message says what to fix");
            Assert.That(error.Problem!.Title, Is.EqualTo("Unauthorized"));
            Assert.That(error.Problem.Message, Is.EqualTo("error.http.401"));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(error, Is.InstanceOf<LeafApiException>(), "catching LeafApiException catches authentication failures too");
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_HTML_page_from_a_proxy_with_502_keeps_the_status_and_an_excerpt(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, ProxyHtml, 502, "text/html");

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(error.Message, Does.Contain("502"));
            Assert.That(error.Problem, Is.Null);
            Assert.That(error.ResponseExcerpt, Does.StartWith("<html>"));
            Assert.That(error.ResponseExcerpt, Does.Contain("502 Bad Gateway").And.Contain("nginx"));
            Assert.That(error.ResponseExcerpt, Does.Not.Contain('\n'), "the excerpt is one line too");
            Assert.That(error.IsTransient, Is.True);
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_HTML_page_with_200_is_reported_as_HTML_not_as_a_parse_error_deep_inside(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, ProxyHtml, 200, "text/html");

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.Message, Does.Contain("HTML"));
            Assert.That(error.ResponseExcerpt, Does.StartWith("<html>"));
            Assert.That(error.IsTransient, Is.False);
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_empty_body_with_200_says_the_body_was_empty(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, string.Empty, 200);

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.Message, Does.Contain("empty body"));
            Assert.That(error.ResponseExcerpt, Is.Null);
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_body_of_only_white_space_with_200_counts_as_empty(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, "  \r\n  ", 200);

        Assert.That(error.Message, Does.Contain("empty body"));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Plain_text_with_200_says_it_is_not_JSON_and_quotes_it(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, "Service temporarily unavailable, please retry", 200, "text/plain");

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.Message, Does.Contain("not JSON"));
            Assert.That(error.ResponseExcerpt, Is.EqualTo("Service temporarily unavailable, please retry"));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_empty_error_body_still_gives_the_status_and_no_excerpt(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, string.Empty, 503);

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(error.Message, Does.Contain("503"));
            Assert.That(error.Problem, Is.Null);
            Assert.That(error.ResponseExcerpt, Is.Null);
            Assert.That(error.IsTransient, Is.True);
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_long_error_body_is_cut_to_a_short_excerpt(ClientKind kind)
    {
        var error = await Stub.FailureAsync(kind, "<html>" + new string('x', 20_000) + "</html>", 500, "text/html");

        Assert.That(error.ResponseExcerpt, Is.Not.Null);
        Assert.That(error.ResponseExcerpt!.Length, Is.LessThanOrEqualTo(201));
        Assert.That(error.ResponseExcerpt, Does.StartWith("<html>xxx"));
    }

    private static IEnumerable<TestCaseData> BadBodies()
    {
        var user = LeafJson.UserId;
        var cases = new (string Name, string Body, string[] MessageSays)[]
        {
            ("truncated JSON", """{"message":"SUCCESS","summaries":[{"provider":"JohnDe""", []),
            ("trailing garbage", LeafJson.DocumentedExample.Trim() + " trailing garbage", []),
            ("growers as a string", $$"""{"summaries":[{"provider":"JohnDeere","leafUserId":"{{user}}","growers":"12"}]}""", ["growers"]),
            ("a fractional count", $$"""{"summaries":[{"provider":"JohnDeere","leafUserId":"{{user}}","farms":1.5}]}""", ["farms"]),
            ("leafUserId as a number", """{"summaries":[{"provider":"JohnDeere","leafUserId":42}]}""", ["leafUserId"]),
            ("provider as a number", $$"""{"summaries":[{"provider":7,"leafUserId":"{{user}}"}]}""", ["provider"]),
            ("summaries as a string", """{"message":"SUCCESS","summaries":"x"}""", ["summaries"]),
            ("summaries as an object", """{"message":"SUCCESS","summaries":{}}""", ["summaries"]),
            ("a summary that is a string", """{"message":"SUCCESS","summaries":["JohnDeere"]}""", ["summar"]),
            ("a top-level number", "42", ["number"]),
            ("a top-level string", "\"SUCCESS\"", ["string"]),
            ("a top-level true", "true", ["boolean"]),
            ("a top-level null", "null", ["null"]),
            ("message as a number", """{"message":42,"summaries":[]}""", ["message"]),
            ("a count over int.MaxValue", $$"""{"summaries":[{"provider":"JohnDeere","leafUserId":"{{user}}","fields":2147483648}]}""", ["fields"]),
            ("a negative count", $$"""{"summaries":[{"provider":"JohnDeere","leafUserId":"{{user}}","growers":-1}]}""", ["growers"]),
            ("an invalid UUID", """{"summaries":[{"provider":"JohnDeere","leafUserId":"not-a-uuid"}]}""", ["leafUserId", "UUID"]),
            ("a bad timestamp", $$"""{"summaries":[{"provider":"JohnDeere","leafUserId":"{{user}}","syncReferenceTime":"yesterday at noon"}]}""", ["syncReferenceTime"]),
            ("a timestamp as a number", $$"""{"summaries":[{"provider":"JohnDeere","leafUserId":"{{user}}","syncReferenceTime":1693420773}]}""", ["syncReferenceTime"]),
            ("an impossible date", $$"""{"summaries":[{"provider":"JohnDeere","leafUserId":"{{user}}","syncReferenceTime":"2023-02-30T10:00:00Z"}]}""", ["syncReferenceTime"]),
        };
        foreach (var kind in Kinds)
        {
            foreach (var (name, body, says) in cases)
            {
                yield return new TestCaseData(kind, body, says).SetArgDisplayNames(kind.ToString(), name);
            }
        }
    }

    [TestCaseSource(nameof(BadBodies))]
    public async Task A_200_body_that_is_not_a_valid_Sync_Summary_becomes_a_LeafApiException_naming_the_problem(ClientKind kind, string body, string[] messageSays)
    {
        var error = await Stub.FailureAsync(kind, body);

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.Message, Does.StartWith("Leaf answered with"), "the message says what Leaf did");
            foreach (var word in messageSays)
            {
                Assert.That(error.Message, Does.Contain(word).IgnoreCase, $"the message names '{word}'");
            }

            Assert.That(error.ResponseExcerpt, Is.Not.Null.And.Not.Empty);
            Assert.That(body.Trim(), Does.StartWith(error.ResponseExcerpt!.TrimEnd('…')), "the excerpt is the start of the body");
            Assert.That(error.IsTransient, Is.False, "the same body will come back on a retry");
            Assert.That(error.Message, Does.Not.Contain("System.").And.Not.Contain("`1"), "no .NET type names for a support engineer to decode");
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_malformed_body_is_not_retried(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources("""{"summaries":[{"growers":"x"}]}""");
        using var client = TestClient.Create(kind, Stub.Options(server, maxRetries: 3));

        await CoreTestKit.ThrowsExactly<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.That(server.Requests(), Has.Count.EqualTo(1));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_refused_connection_is_a_transient_LeafApiException_with_no_status(ClientKind kind)
    {
        var port = CoreTestKit.ClosedLoopbackPort();
        var options = new LeafClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            AccessToken = Stub.Token,
            MaxRetries = 0,
            EnableCircuitBreaker = false,
            AttemptTimeout = TimeSpan.FromSeconds(5),
            TotalTimeout = TimeSpan.FromSeconds(10),
        };
        using var client = TestClient.Create(kind, options);

        var error = await CoreTestKit.ThrowsExactly<LeafApiException>(() => client.Client.GetResourcesAsync());

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(error.IsTransient, Is.True);
            Assert.That(error.Message, Does.Contain("Could not reach Leaf"));
            Assert.That(error.Message, Does.Contain("127.0.0.1"));
            Assert.That(error.Message, Does.Contain("refused"));
            Assert.That(error.Problem, Is.Null);
            Assert.That(error.ResponseExcerpt, Is.Null);
            Assert.That(error.InnerException, Is.InstanceOf<HttpRequestException>(), "the cause is kept for diagnostics");
        });
    }

    [Test]
    public async Task A_redirect_to_another_host_is_not_followed_and_the_other_host_never_hears_from_the_SDK(
        [ValueSource(nameof(Kinds))] ClientKind kind,
        [Values(301, 302, 307, 308)] int status)
    {
        using var elsewhere = Stub.Start();
        elsewhere.Resources(LeafJson.DocumentedExample);
        using var server = Stub.Start();
        var target = new Uri(elsewhere.Url!.Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + Stub.ResourcesPath);
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", target.ToString()));
        using var client = TestClient.Create(kind, Stub.Options(server, maxRetries: 2));

        var error = await CoreTestKit.ThrowsExactly<LeafApiException>(() => client.Client.GetResourcesAsync());

        CoreTestKit.AssertOneLine(error);
        Assert.Multiple(() =>
        {
            Assert.That(elsewhere.Requests(), Is.Empty, "the token must never travel to another host");
            Assert.That(server.Requests(), Has.Count.EqualTo(1));
            Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(error.Message, Does.Contain("does not follow redirects"));
            Assert.That(error.Message, Does.Contain("127.0.0.1"), "the message names where Leaf pointed");
            Assert.That(error.IsTransient, Is.False);
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task The_token_never_appears_in_any_exceptions_message_or_ToString(ClientKind kind)
    {
        const string Token = "LeafTok-3Jx9QpZ7vW2mK4";
        var user = LeafJson.UserId;
        var scenarios = new (string Name, int Status, string Body, string? Location)[]
        {
            ("401 echoing the header", 401, $$"""{"title":"Unauthorized","detail":"Authorization: Bearer {{Token}} is expired"}""", null),
            ("400 echoing the token bare", 400, $$"""{"title":"Bad Request","detail":"token {{Token}} is not valid here","errorKey":"{{Token}}"}""", null),
            ("403 problem message only", 403, $$"""{"message":"denied for {{Token}}"}""", null),
            ("500 HTML echoing the header", 500, $$"""<html><body><pre>Authorization: Bearer {{Token}}</pre></body></html>""", null),
            ("502 plain text echoing the token", 502, $"upstream rejected {Token}", null),
            ("200 malformed body echoing the token", 200, $$"""{"echo":"{{Token}}","summaries":[{"provider":"JohnDeere","leafUserId":"{{user}}","growers":"x"}]}""", null),
            ("200 HTML echoing the token", 200, $"<html>{Token}</html>", null),
            ("200 JSON access_token echo", 200, $$"""{"access_token":"{{Token}}","summaries":7}""", null),
            ("302 to a URL carrying the token", 302, string.Empty, $"https://elsewhere.example/login?token={Token}"),
        };

        var leaks = new List<string>();
        foreach (var (name, status, body, location) in scenarios)
        {
            using var server = Stub.Start();
            var response = Response.Create().WithStatusCode(status).WithBody(body);
            if (location is not null)
            {
                response = response.WithHeader("Location", location);
            }

            server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).RespondWith(response);
            var options = Stub.Options(server);
            options.AccessToken = Token;
            using var client = TestClient.Create(kind, options);

            var error = await CoreTestKit.ThrowsExactly<LeafApiException, LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

            Assert.That(server.SingleRequest().Header("Authorization"), Is.EqualTo(new[] { "Bearer " + Token }), name);
            leaks.AddRange(Leaks(name, Token, error));
        }

        var refused = new LeafClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{CoreTestKit.ClosedLoopbackPort()}"),
            AccessToken = Token,
            MaxRetries = 0,
            EnableCircuitBreaker = false,
        };
        using var offline = TestClient.Create(kind, refused);
        var network = await CoreTestKit.ThrowsExactly<LeafApiException>(() => offline.Client.GetResourcesAsync());
        leaks.AddRange(Leaks("refused connection", Token, network));

        Assert.That(leaks, Is.Empty);
    }

    private static IEnumerable<string> Leaks(string scenario, string secret, LeafApiException error)
    {
        var places = new (string Where, string? Text)[]
        {
            ("Message", error.Message),
            ("ToString()", error.ToString()),
            ("ResponseExcerpt", error.ResponseExcerpt),
            ("Problem", error.Problem?.ToString()),
        };
        return places.Where(p => p.Text?.Contains(secret, StringComparison.Ordinal) == true).Select(p => $"{scenario}: {p.Where}: {p.Text}");
    }
}
