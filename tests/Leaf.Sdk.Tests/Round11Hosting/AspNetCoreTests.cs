using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round9Cancel;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Leaf.Sdk.Tests.Round11Hosting;

/// <summary>
/// The SDK in an ASP.NET Core app on Kestrel (port 0), its container validated as in Development: the request's
/// RequestAborted ending the Leaf call, the health check behind <c>MapHealthChecks</c>, the client taken from a
/// singleton, from a scoped service and from thousands of request scopes.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class AspNetCoreTests
{
    [Test]
    public async Task A_request_the_browser_aborts_ends_its_Leaf_call_and_lets_go_of_Leafs_connection([Values] bool login)
    {
        using var leaf = new CancelServer { LoginToken = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2)), Resources = _ => Answer.HoldHeaders };
        var ended = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = HostedLeaf.Options(leaf, login);
        await using var web = await Web.StartAsync(options, app => app.MapGet("/sync", async (IIntegrationsClient client, HttpContext context) =>
        {
            try
            {
                await client.GetResourcesAsync(cancellationToken: context.RequestAborted);
                ended.TrySetResult(null);
            }
            catch (Exception ex)
            {
                ended.TrySetResult(ex);
                throw;
            }
        }));

        using var browser = new HttpClient();
        using var abort = new CancellationTokenSource();
        var request = browser.GetAsync(new Uri(web.Url, "/sync"), abort.Token);
        await HostedLeaf.UntilAsync(() => leaf.ResourceRequests >= 1, "the Leaf call on the wire");
        await abort.CancelAsync();
        Assert.That(async () => await request, Throws.InstanceOf<OperationCanceledException>());

        var error = await ended.Task.WaitAsync(HostedLeaf.HangBound);
        await HostedLeaf.UntilAsync(() => leaf.OpenConnections == 0, "the SDK to close the connection of the call it gave up");

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<OperationCanceledException>(), "how the endpoint's Leaf call ended");
            Assert.That(SdkErrors(web.Logs), Is.Empty, "Errors the SDK or Polly logged for an aborted request");
        });
    }

    [Test]
    public async Task The_health_endpoint_reports_Leafs_sync_in_a_validated_container()
    {
        using var leaf = FakeLeafServer.Start();
        await using var web = await Web.StartAsync(
            leaf.CreateLoginOptions(),
            app => app.MapHealthChecks("/health"),
            services => services.AddHealthChecks().AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy)));

        using var browser = new HttpClient();
        using var first = await browser.GetAsync(new Uri(web.Url, "/health"));
        using var second = await browser.GetAsync(new Uri(web.Url, "/health"));

        var text = await first.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(text, Is.EqualTo("Healthy"));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(leaf.LoginCount, Is.EqualTo(1), "two probes, each in its own request scope, share the registration's login");
            Assert.That(SdkErrors(web.Logs), Is.Empty);
        });
    }

    [Test]
    public async Task A_health_probe_the_load_balancer_gives_up_on_ends_the_Leaf_call_without_an_Error([Values] bool login)
    {
        using var leaf = new CancelServer { LoginToken = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2)), Resources = _ => Answer.HoldHeaders, HoldLoginsFrom = 1 };
        await using var web = await Web.StartAsync(
            HostedLeaf.Options(leaf, login),
            app => app.MapHealthChecks("/health"),
            services => services.AddHealthChecks().AddLeafSync());

        using var browser = new HttpClient();
        using var abort = new CancellationTokenSource();
        var probe = browser.GetAsync(new Uri(web.Url, "/health"), abort.Token);
        await HostedLeaf.UntilAsync(() => leaf.ResourceRequests + leaf.LoginRequests >= 1, "the check's Leaf call on the wire");
        await abort.CancelAsync();
        Assert.That(async () => await probe, Throws.InstanceOf<OperationCanceledException>());
        await HostedLeaf.UntilAsync(() => login || leaf.OpenConnections == 0, "the SDK to close the connection of the call it gave up");

        Assert.That(SdkErrors(web.Logs), Is.Empty, "Errors the SDK or Polly logged for a probe that was given up");
    }

    [Test]
    public async Task The_client_taken_by_a_singleton_and_by_a_scoped_service_both_work_in_a_validated_container()
    {
        using var leaf = FakeLeafServer.Start();
        await using var web = await Web.StartAsync(
            leaf.CreateLoginOptions(),
            app =>
            {
                app.MapGet("/singleton", async (SingletonReport report) => await report.FieldsAsync());
                app.MapGet("/scoped", async (ScopedReport report) => await report.FieldsAsync());
            },
            services =>
            {
                services.AddSingleton<SingletonReport>();
                services.AddScoped<ScopedReport>();
            });

        using var browser = new HttpClient();
        var fromSingleton = await browser.GetStringAsync(new Uri(web.Url, "/singleton"));
        var fromScope = await browser.GetStringAsync(new Uri(web.Url, "/scoped"));

        Assert.Multiple(() =>
        {
            Assert.That(fromSingleton, Is.Not.Empty.And.EqualTo(fromScope));
            Assert.That(leaf.LoginCount, Is.EqualTo(1));
            Assert.That(SdkErrors(web.Logs), Is.Empty);
        });
    }

    [Test]
    public async Task Thousands_of_request_scopes_resolving_the_client_reuse_one_handler_chain_and_one_connection()
    {
        var connections = new ConcurrentDictionary<string, byte>();
        await using var leaf = await Web.StartAsync(
            options: null,
            app => app.MapGet(Stub.ResourcesPath, (RequestDelegate)(async context =>
            {
                connections.TryAdd(context.Connection.Id, 0);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(LeafJson.DocumentedExample);
            })));
        var options = new LeafClientOptions { BaseAddress = leaf.Url, AccessToken = Stub.Token, MaxRetries = 0 };
        var builds = new HandlerBuilds();
        var (host, logs) = HostedLeaf.Build(options, services => services.AddSingleton<IHttpMessageHandlerBuilderFilter>(builds), TimeProvider.System);
        using var _ = host;
        await host.StartAsync();

        const int Scopes = 2000;
        var clients = new List<WeakReference>(Scopes);
        var scopes = host.Services.GetRequiredService<IServiceScopeFactory>();
        for (var i = 0; i < Scopes; i++)
        {
            clients.Add(await CallInScopeAsync(scopes));
        }

        // A reference the last call left on a thread's stack or in a pool for a moment is no growth: collect a few times.
        for (var i = 0; i < 20 && clients.Any(c => c.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(20);
        }

        await host.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(builds.Count(Leaf.Sdk.Http.LeafHttpPipeline.ClientName), Is.EqualTo(1), "handler chains built for the Sync Summary client");
            Assert.That(connections, Has.Count.EqualTo(1), "connections opened to Leaf for calls one after another");
            Assert.That(clients.Count(c => c.IsAlive), Is.Zero, "clients still alive after their scopes were disposed");
            Assert.That(HostedLeaf.Errors(logs), Is.Empty);
        });
    }

    // A scope of its own, as a request has: nothing of it stays in the test's own frame.
    private static async Task<WeakReference> CallInScopeAsync(IServiceScopeFactory scopes)
    {
        await using var scope = scopes.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<IIntegrationsClient>();
        await client.GetResourcesAsync();
        return new WeakReference(client);
    }

    private static IReadOnlyList<string> SdkErrors(FakeLogCollector logs) =>
        [.. HostedLeaf.Errors(logs).Where(line => line.Contains(" Leaf.Sdk", StringComparison.Ordinal) || line.Contains(" Polly", StringComparison.Ordinal))];

    /// <summary>Services that take the client in their constructor, as apps write them.</summary>
    private sealed class SingletonReport(IIntegrationsClient leaf)
    {
        public async Task<string> FieldsAsync() => (await leaf.GetResourcesAsync(leafUserId: DemoUsers.Healthy)).Summaries.Sum(s => s.Fields ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class ScopedReport(IIntegrationsClient leaf)
    {
        public async Task<string> FieldsAsync() => (await leaf.GetResourcesAsync(leafUserId: DemoUsers.Healthy)).Summaries.Sum(s => s.Fields ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Counts the handler chains IHttpClientFactory builds, by client name.</summary>
    private sealed class HandlerBuilds : IHttpMessageHandlerBuilderFilter
    {
        private readonly ConcurrentDictionary<string, int> _builds = new(StringComparer.Ordinal);

        public int Count(string name) => _builds.TryGetValue(name, out var count) ? count : 0;

        public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
        {
            _builds.AddOrUpdate(builder.Name ?? string.Empty, 1, static (_, n) => n + 1);
            next(builder);
        };
    }

    /// <summary>An ASP.NET Core app on Kestrel, loopback port 0, with the SDK registered when given options.</summary>
    private sealed class Web : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Web(WebApplication app, FakeLogCollector logs)
        {
            _app = app;
            Logs = logs;
            Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }

        public Uri Url { get; }

        public FakeLogCollector Logs { get; }

        public static async Task<Web> StartAsync(LeafClientOptions? options, Action<WebApplication> map, Action<IServiceCollection>? services = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Host.UseDefaultServiceProvider(o =>
            {
                o.ValidateOnBuild = true;
                o.ValidateScopes = true;
            });
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var logs = new FakeLogCollector();
            builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs));
            if (options is not null)
            {
                builder.Services.AddLeafSdk(o => TestClient.Copy(options, o));
            }

            services?.Invoke(builder.Services);
            var app = builder.Build();
            map(app);
            await app.StartAsync();
            return new Web(app, logs);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
