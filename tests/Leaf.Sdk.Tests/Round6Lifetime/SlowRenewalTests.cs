using System.Net;
using System.Text;
using Leaf.Sdk.Http;
using Leaf.Sdk.Tests.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>
/// The renewal ahead of exp, when the login is slow or hangs: the token has not expired, so only the call that started
/// the renewal waits for it; the others go on with the cached token. Before, every call in those five minutes queued
/// behind the login, and a login that hung made them all time out although the token was good.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SlowRenewalTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Calls_arriving_while_an_early_renewal_hangs_use_the_cached_token_without_waiting()
    {
        var time = new FakeTimeProvider(Start);
        var first = AuthStub.Jwt(Start.AddHours(1), "first");
        var second = AuthStub.Jwt(Start.AddHours(2), "second");
        var login = new GatedLogin(first, second);
        var leaf = new InMemoryLeaf(Start.AddHours(1)) { AcceptsAnyToken = true };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = new Uri("https://leaf.example");
            o.Username = AuthStub.Username;
            o.Password = AuthStub.Password;
            o.MaxRetries = 0;
        }).ConfigurePrimaryHttpMessageHandler(() => leaf);
        services.AddHttpClient(LeafHttpPipeline.LoginClientName).ConfigurePrimaryHttpMessageHandler(() => login);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IIntegrationsClient>();
        await client.GetResourcesAsync();

        time.Advance(TimeSpan.FromMinutes(57));
        var renewing = client.GetResourcesAsync();
        await login.SecondLoginArrived.WaitAsync(TimeSpan.FromSeconds(10));
        var meanwhile = client.GetResourcesAsync();
        // The login stays held until Release, so a call queued behind it cannot finish in any time: the bound only
        // ends the wait, and a second of real time was a race with a busy machine (an in-memory call, never this slow
        // unless starved).
        var finishedFirst = await Task.WhenAny(meanwhile, Task.Delay(TimeSpan.FromSeconds(10)));
        login.Release();
        await renewing;
        await meanwhile;

        Assert.Multiple(() =>
        {
            Assert.That(finishedFirst, Is.SameAs(meanwhile), "a call with a good cached token must not queue behind the early renewal");
            Assert.That(login.Count, Is.EqualTo(2));
        });
    }

    /// <summary>The first login answers at once with one token; the second waits for <see cref="Release"/>.</summary>
    private sealed class GatedLogin(string first, string second) : HttpMessageHandler
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task SecondLoginArrived => _arrived.Task;

        public void Release() => _release.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var token = first;
            if (Interlocked.Increment(ref _count) > 1)
            {
                _arrived.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
                token = second;
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"id_token":"{{token}}"}""", Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
        }
    }
}
