using System.Globalization;
using System.Text;
using System.Text.Json;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round9Retry;

/// <summary>
/// The SDK numbers a call's HTTP attempts one way in its log (events 1 and 9, "attempt n"), its last event (7 or 8) and
/// its errors (<see cref="LeafApiException.Attempts"/>): a resend after a 401 is an attempt of its own. The retry event
/// (2) numbered Polly's tries instead, so after a token renewal it named the wrong attempt: "Leaf answered attempt 1
/// with 401", then "Retrying Leaf call after attempt 1 failed with 503", when the 503 answered attempt 2.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RetryLogNumberingTests
{
    [Test]
    public async Task After_a_token_renewal_the_retry_event_names_the_attempt_that_failed([Values] ClientKind kind)
    {
        using var h = LoggingIn(kind);
        Script(h, Response.Create().WithStatusCode(401), ResilienceHarness.Status(503));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(h.RetryEvents.Select(e => State(e, "Attempt")), Is.EqualTo(new[] { "2" }));
            Assert.That(AnsweredAttempt(h, "503"), Is.EqualTo("2"), "the attempt event 9 says was answered 503");
            Assert.That(h.RetryEvents.Single().Message, Does.StartWith("Retrying Leaf call after attempt 2 failed with 503 ServiceUnavailable"));
        });
    }

    [Test]
    public async Task After_a_token_renewal_a_broken_answer_names_the_attempt_that_failed([Values] ClientKind kind)
    {
        // One request per connection, in order: login, 401, login again, the resend whose body breaks off, the retry.
        var login = Answer("200 OK", JsonSerializer.Serialize(new Dictionary<string, string> { ["id_token"] = AuthStub.Jwt(ResilienceHarness.Epoch.AddDays(1)) }));
        using var raw = new RawHttpServer(n => n switch
        {
            1 or 3 => login,
            2 => Answer("401 Unauthorized", "{}"),
            4 => RawHttpServer.StalledBody,
            _ => RawHttpServer.Ok,
        }, reset: n => n == 4);
        using var h = LoggingIn(kind, raw.Url);

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(h.RetryEvents.Single().Message, Does.StartWith("Retrying Leaf call after attempt 2 failed with a response body that broke off"));
            Assert.That(h.AttemptsSent, Is.EqualTo(3), "the 401, the resend that broke off, the retry");
        });
    }

    [Test]
    public async Task Without_a_renewal_the_numbers_are_as_before([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(3, () => ResilienceHarness.Status(503));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        Assert.That(h.RetryEvents.Select(e => State(e, "Attempt")), Is.EqualTo(new[] { "1", "2", "3" }));
    }

    [Test]
    public async Task A_try_whose_token_came_too_late_keeps_Pollys_number([Values] ClientKind kind)
    {
        // The first try waits for a token past AttemptTimeout and sends nothing, so no HTTP attempt has a number yet:
        // the retry event names Polly's try, 1, not the 0 attempts sent.
        using var h = new ResilienceHarness(kind, o =>
        {
            o.AccessToken = null;
            o.TokenSource = new LateOnceTokenSource();
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
        });
        h.Server.Resources(LeafJson.DocumentedExample);

        // The clock moves only until the retry is sent (the token wait, the back-off), never under the request itself.
        var response = await h.DriveAsync(() => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () => h.AttemptsSent == 0);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(h.RetryEvents.Select(e => State(e, "Attempt")), Is.EqualTo(new[] { "1" }));
            Assert.That(h.RetryEvents.Single().Message, Does.StartWith("Retrying Leaf call after attempt 1 failed with an attempt time-out"));
            Assert.That(h.Requests, Is.EqualTo(1), "only the retry reached Leaf");
        });
    }

    /// <summary>Hangs until cancelled on the first call; answers at once after that.</summary>
    private sealed class LateOnceTokenSource : ILeafTokenSource
    {
        private int _calls;

        public async ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return Stub.Token;
        }
    }

    private static byte[] Answer(string status, string body) =>
        Encoding.UTF8.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");

    private static ResilienceHarness LoggingIn(ClientKind kind, Uri? baseAddress = null)
    {
        var h = new ResilienceHarness(kind, baseAddress: baseAddress, configure: o =>
        {
            o.MaxRetries = 1;
            o.AccessToken = null;
            o.Username = AuthStub.Username;
            o.Password = AuthStub.Password;
        });
        h.Server.LoginIssues(AuthStub.Jwt(ResilienceHarness.Epoch.AddDays(1)));
        return h;
    }

    /// <summary>The Sync Summary answers <paramref name="first"/>, then <paramref name="second"/>, then Leaf's example.</summary>
    private static void Script(ResilienceHarness h, IResponseBuilder first, IResponseBuilder second)
    {
        const string Scenario = "numbering";
        h.Server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario(Scenario).WillSetStateTo("second").RespondWith(first);
        h.Server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario(Scenario).WhenStateIs("second").WillSetStateTo("done").RespondWith(second);
        h.Server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet()).InScenario(Scenario).WhenStateIs("done").WillSetStateTo("done")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
    }

    private static string? AnsweredAttempt(ResilienceHarness h, string status) =>
        h.Logs.Collector.GetSnapshot()
            .Where(r => r.Category == "Leaf.Sdk.Authentication" && r.Id.Id == 9 && State(r, "StatusCode") == status)
            .Select(r => State(r, "Attempt")).Single();

    private static string? State(FakeLogRecord record, string key) =>
        record.StructuredState!.Single(p => p.Key == key).Value is { } value ? value.ToString(CultureInfo.InvariantCulture) : null;
}
