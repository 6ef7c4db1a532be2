using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round19Lead;

/// <summary>
/// The "login failed" event (6) is written once the failed login is no longer in flight, so a call made on the event
/// logs in anew. It was written first: a call made in the moment between the event and the release joined the failed
/// login and got its error (seen as a flaky <c>StalledAnswerTests</c> case, which waits for the event before its next
/// call, on a loaded machine).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginFailedEventTests
{
    [Test]
    public async Task A_call_made_on_the_login_failed_event_logs_in_anew([Values] ClientKind kind)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost()).InScenario("login").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Content-Type", "application/json").WithBody(AuthStub.Problem(503, "Service Unavailable", "maintenance")));
        server.Given(Request.Create().WithPath(AuthStub.LoginPath).UsingPost()).InScenario("login").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($$"""{"id_token":"{{AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1))}}"}"""));
        server.Resources(LeafJson.DocumentedExample);

        TestClient? client = null;
        Task<SyncSummaryResponse>? onEvent = null;
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new OnEvent(6, () => onEvent ??= client!.Client.GetResourcesAsync())));
        using var built = client = TestClient.Create(kind, AuthStub.LoginOptions(server), loggerFactory: loggerFactory);

        var first = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());
        Assert.That(onEvent, Is.Not.Null, "the login failed event was written");
        var second = await onEvent!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
            Assert.That(second.Summaries, Has.Count.EqualTo(1), "the call made on the event logged in anew and was answered");
            Assert.That(server.LoginRequests(), Is.EqualTo(2));
        });
    }

    /// <summary>Runs <paramref name="action"/> when the SDK's authentication category writes event <paramref name="id"/>.</summary>
    private sealed class OnEvent(int id, Action action) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => categoryName == "Leaf.Sdk.Authentication" ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == id)
            {
                action();
            }
        }

        public void Dispose()
        {
        }
    }
}
