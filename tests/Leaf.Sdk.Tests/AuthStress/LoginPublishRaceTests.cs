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

    /// <summary>Answers each login with the next of <paramref name="tokens"/>.</summary>
    private sealed class IssuingHandler(string[] tokens) : HttpMessageHandler
    {
        private int _issued;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
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
