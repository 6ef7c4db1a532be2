using System.Net;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>
/// An app that adds a resilience handler to every HttpClient, as .NET Aspire's service defaults do
/// (<c>ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler())</c>). The SDK runs its own pipeline;
/// another one stacked under it (Microsoft's guidance: one resilience handler per client, never stacked) multiplied
/// the requests of a failing call, and its own 10 s attempt time-out cut short the SDK's AttemptTimeout.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ResilienceForEveryClientTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task A_resilience_handler_for_every_client_does_not_multiply_the_sdks_retries(bool defaultsFirst)
    {
        using var server = FakeLeafServer.Start();
        server.FailNext(100, HttpStatusCode.ServiceUnavailable);
        var services = new ServiceCollection();
        if (defaultsFirst)
        {
            services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(Fast));
        }

        services.AddLeafSdk(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.AccessToken = server.AccessToken;
            o.MaxRetries = 1;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        });
        if (!defaultsFirst)
        {
            services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(Fast));
        }

        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<LeafApiException>(() => provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(error.Attempts, Is.EqualTo(2));
            Assert.That(server.Requests, Has.Count.EqualTo(2), "MaxRetries = 1 is two requests, not two times the other handler's four");
        });
    }

    [Test]
    public async Task A_resilience_handler_added_on_the_builder_AddLeafSdk_returns_is_kept()
    {
        using var server = FakeLeafServer.Start();
        server.FailNext(100, HttpStatusCode.ServiceUnavailable);
        var services = new ServiceCollection();
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.AccessToken = server.AccessToken;
            o.MaxRetries = 0;
        }).AddStandardResilienceHandler(Fast);
        await using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync(), Throws.InstanceOf<LeafApiException>());

        Assert.That(server.Requests, Has.Count.EqualTo(4), "the user asked for it on the SDK's own client: one attempt and its three retries");
    }

    [Test]
    public async Task The_login_is_not_retried_by_the_other_handler_either_and_the_removal_is_logged_once_per_client()
    {
        using var server = FakeLeafServer.Start();
        using var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(Fast));
        services.AddLeafSdk(o =>
        {
            var login = server.CreateLoginOptions();
            o.BaseAddress = login.BaseAddress;
            o.Username = login.Username;
            o.Password = login.Password;
            o.MaxRetries = 1;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        });
        await using var provider = services.BuildServiceProvider();
        server.FailNext(100, HttpStatusCode.ServiceUnavailable);

        Assert.That(() => provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync(), Throws.InstanceOf<LeafApiException>());
        Assert.That(() => provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync(), Throws.InstanceOf<LeafApiException>());
        var removals = logs.Entries.Where(e => e.Text.Contains("added to every HttpClient", StringComparison.Ordinal)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(server.Requests.Count(r => r.Path == FakeLeafServer.LoginPath), Is.EqualTo(4), "two calls, each one login attempt and one retry");
            Assert.That(removals.Select(e => e.Level), Is.EqualTo(new[] { LogLevel.Information, LogLevel.Information }), "once for the Sync Summary client, once for the login's");
            Assert.That(removals.Select(e => e.Text), Has.Some.Contains("ResilienceHandler").And.Contains("Leaf.Sdk.Login"));
        });
    }

    private static void Fast(HttpStandardResilienceOptions options)
    {
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.UseJitter = false;
        options.Retry.BackoffType = Polly.DelayBackoffType.Constant;
    }
}
