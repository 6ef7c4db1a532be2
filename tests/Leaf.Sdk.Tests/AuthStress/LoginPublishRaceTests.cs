using System.Net;
using System.Text;
using Leaf.Sdk.Authentication;
using Leaf.Sdk.Tests.Authentication;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.AuthStress;

/// <summary>
/// The window between a login publishing its token and the login counting as finished: a caller that already sent the
/// new token and saw it rejected in that window must get a fresh login, not the rejected token back.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginPublishRaceTests
{
    [Test]
    public async Task A_renewal_for_the_token_a_finishing_login_just_published_starts_a_new_login()
    {
        var tokens = new[] { AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1), "first"), AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1), "second") };
        using var http = new HttpClient(new IssuingHandler(tokens));
        var options = new LeafClientOptions { BaseAddress = new Uri("https://leaf.example/"), Username = AuthStub.Username, Password = AuthStub.Password };
        Task<string>? renewal = null;
        LeafLoginTokenSource? source = null;

        // "Logged in" is written after the token is cached and before the login counts as done: the moment a caller
        // that read the new token from the cache, sent it, and had it refused, asks for a renewal.
        var logger = new OnEventLogger(5, () =>
        {
            if (renewal is null)
            {
                var published = source!.GetTokenAsync(forceRenewal: false, CancellationToken.None).AsTask();
                Assert.That(published.IsCompletedSuccessfully, Is.True, "the new token is already served from the cache");
                renewal = source.RenewAsync(published.Result, CancellationToken.None).AsTask();
            }
        });
        source = new LeafLoginTokenSource(() => http, options, TimeProvider.System, logger);

        var first = await source.GetTokenAsync(forceRenewal: false, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(renewal, Is.Not.Null);
        var renewed = await renewal!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(tokens[0]));
            Assert.That(renewed, Is.EqualTo(tokens[1]), "the renewal handed back the token it was asked to replace");
            Assert.That(source.LoginCount, Is.EqualTo(2));
        });
    }

    /// <summary>
    /// The other end of a login: "login failed" (event 6) is written once the failed login is no longer in flight, so a
    /// call made on the event logs in anew. Written first, it let such a call join the failed login and get its error
    /// (seen as a flaky <c>StalledAnswerTests</c> case, which waits for the event before its next call, on a busy machine).
    /// </summary>
    [Test]
    public async Task A_token_asked_for_on_the_login_failed_event_comes_from_a_new_login()
    {
        var token = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(1));
        using var http = new HttpClient(new IssuingHandler([token], failFirst: true));
        var options = new LeafClientOptions { BaseAddress = new Uri("https://leaf.example/"), Username = AuthStub.Username, Password = AuthStub.Password, MaxRetries = 0 };
        Task<string>? onEvent = null;
        LeafLoginTokenSource? source = null;
        var logger = new OnEventLogger(6, () => onEvent ??= source!.GetTokenAsync(forceRenewal: false, CancellationToken.None).AsTask());
        source = new LeafLoginTokenSource(() => http, options, TimeProvider.System, logger);

        // The first caller gets the 503, or the new login's token when that login is done before it looks (a login
        // that failed while a valid token is cached hands that token out): either is right, and neither is the point.
        var first = source.GetTokenAsync(forceRenewal: false, CancellationToken.None).AsTask();
        await Task.WhenAny(first).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(onEvent, Is.Not.Null, "the login failed event was written");
        var next = await onEvent!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(first.IsCompletedSuccessfully ? null : first.Exception?.InnerException, Is.Null.Or.TypeOf<LeafApiException>().With.Property("StatusCode").EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(next, Is.EqualTo(token), "the token came from a login of its own, not the failed one's error");
            Assert.That(source.LoginCount, Is.EqualTo(2));
        });
    }

    /// <summary>Answers each login with the next of <paramref name="tokens"/>; the first with 503 if <paramref name="failFirst"/>.</summary>
    private sealed class IssuingHandler(string[] tokens, bool failFirst = false) : HttpMessageHandler
    {
        private int _issued;
        private int _failed;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (failFirst && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{}", Encoding.UTF8, "application/json"), RequestMessage = request });
            }

            var token = tokens[Math.Min(Interlocked.Increment(ref _issued), tokens.Length) - 1];
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"id_token":"{{token}}"}""", Encoding.UTF8, "application/json"),
                RequestMessage = request,
            });
        }
    }

    /// <summary>Runs <paramref name="action"/> synchronously whenever event <paramref name="eventId"/> is written.</summary>
    private sealed class OnEventLogger(int eventId, Action action) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (id.Id == eventId)
            {
                action();
            }
        }
    }
}
