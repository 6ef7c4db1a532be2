using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Readme;

// Inside the namespace, so the snippets' SyncChecks is the library's class, not the Leaf.Sdk.Tests.SyncChecks namespace.
using SyncChecks = Leaf.Sdk.SyncChecks;

// Every C# block of README.md lives here, between "begin-snippet: NAME" and "end-snippet" markers, so the build
// compiles it; ReadmeTests checks that README.md shows each one verbatim. Edit a snippet here, then paste it there.
[Parallelizable(ParallelScope.All)]
public sealed class ReadmeSnippets
{
    // Compiled, not run: it calls the real API.
    internal static async Task QuickStart(string token)
    {
        // begin-snippet: quick-start
        using var client = new IntegrationsClient(new LeafClientOptions { AccessToken = token });

        var response = await client.GetResourcesAsync();
        foreach (var s in response.Summaries)
        {
            Console.WriteLine($"{s.Provider.GetInfo().DisplayName}: {s.Growers?.ToString() ?? "n/a"} growers, {s.Farms} farms, {s.Fields} fields");
        }
        // end-snippet
    }

    [Test]
    public async Task Standalone_with_filters()
    {
        using var server = FakeLeafServer.Start();
        var options = server.CreateClientOptions();
        var leafUserId = DemoUsers.Healthy;

        // begin-snippet: filters
        using var client = new IntegrationsClient(options);

        // One provider, one Leaf user; leave either out (null) for all.
        var response = await client.GetResourcesAsync(Provider.ClimateFieldView, leafUserId);
        var climate = response.Summaries.Single();
        bool hasGrowers = climate.Provider.GetInfo().Exposes(FmisLevels.Grower);   // false: n/a, not 0
        // end-snippet

        Assert.Multiple(() =>
        {
            Assert.That(hasGrowers, Is.False);
            Assert.That(climate.Growers, Is.Null);
            Assert.That(climate.Fields, Is.EqualTo(86));
        });
    }

    [Test]
    public async Task Dependency_injection_from_configuration()
    {
        using var server = FakeLeafServer.Start();
        var configuration = LeafSection(server);
        var services = new ServiceCollection();

        // begin-snippet: di
        services.AddLeafSdk(configuration.GetSection("Leaf"));
        // end-snippet

        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IIntegrationsClient>();
        var report = await new SyncReportService(client).TotalFieldsAsync(DemoUsers.Healthy, CancellationToken.None);
        Assert.That(report, Is.EqualTo(142 + 86 + 57 + 31));
    }

    [Test]
    public async Task IHttpClientFactory_logging_back_on()
    {
        using var server = FakeLeafServer.Start();
        var configuration = LeafSection(server);
        using var logs = new FakeLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

        // begin-snippet: factory-logs
        services.AddLeafSdk(configuration.GetSection("Leaf"))
            .AddDefaultLogger();   // IHttpClientFactory's request logs, header values redacted
        // end-snippet

        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();
        var categories = logs.Collector.GetSnapshot().Select(r => r.Category).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(categories, Has.Some.StartsWith("System.Net.Http.HttpClient.Leaf.Sdk"));
            Assert.That(categories, Has.Some.EqualTo("Leaf.Sdk.Authentication"));
            Assert.That(logs.Collector.GetSnapshot().Select(r => r.Message), Has.None.Contain(server.AccessToken));
        });
    }

    // The "Leaf" configuration section the DI snippets bind, pointing at the fake.
    private static IConfiguration LeafSection(FakeLeafServer server) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Leaf:BaseAddress"] = server.BaseAddress.ToString(),
            ["Leaf:AccessToken"] = server.AccessToken,
        })
        .Build();

    [Test]
    public void Dependency_injection_in_code()
    {
        var services = new ServiceCollection();
        var token = "a-token";

        // begin-snippet: di-code
        services.AddLeafSdk(options =>
        {
            options.AccessToken = token;
            options.MaxRetries = 5;
        });
        // end-snippet

        using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<LeafClientOptions>>().Value.MaxRetries, Is.EqualTo(5));
    }

    [Test]
    public async Task A_primary_handler_of_your_own_serves_the_login_too()
    {
        using var server = FakeLeafServer.Start();
        var login = server.CreateLoginOptions();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Leaf:BaseAddress"] = login.BaseAddress.ToString(),
                ["Leaf:Username"] = login.Username,
                ["Leaf:Password"] = login.Password,
            })
            .Build();
        var services = new ServiceCollection();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();

        // The snippet's handler goes through a proxy; this one records what it carries.
        HttpMessageHandler CreateHandler() => new RecordingHandler(seen) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } };

        // begin-snippet: proxy
        services.AddLeafSdk(configuration.GetSection("Leaf"))
            .ConfigurePrimaryHttpMessageHandler(CreateHandler);
        services.AddHttpClient(LeafServiceCollectionExtensions.LoginHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler);
        // end-snippet

        await using var provider = services.BuildServiceProvider();
        var response = await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync(leafUserId: DemoUsers.Healthy);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Empty);
            Assert.That(server.LoginCount, Is.EqualTo(1));
            Assert.That(seen, Is.EqualTo(new[] { "POST /api/authenticate", "GET /services/integrations/api/resources" }), "both clients went through the handler");
        });
    }

    [Test]
    public void The_proxy_handler_follows_no_redirect()
    {
        using var handler = CreateHandler();

        Assert.Multiple(() =>
        {
            Assert.That(handler.Proxy, Is.Not.Null);
            Assert.That(handler.AllowAutoRedirect, Is.False);
        });
    }

    // begin-snippet: proxy-handler
    static SocketsHttpHandler CreateHandler() => new SocketsHttpHandler
    {
        Proxy = new System.Net.WebProxy("http://proxy.example.com:8080"),
        AllowAutoRedirect = false, // as the SDK's own: a token never follows a redirect to another host
        AutomaticDecompression = System.Net.DecompressionMethods.All, // as the SDK's own: without it, nothing comes compressed
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
    // end-snippet

    private sealed class RecordingHandler(System.Collections.Concurrent.ConcurrentQueue<string> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Test]
    public async Task Errors_and_what_to_catch()
    {
        using var server = FakeLeafServer.Start();
        server.RevokeTokens();
        using var client = new IntegrationsClient(server.CreateClientOptions());
        var messages = new List<string>();

        // begin-snippet: errors
        try
        {
            var response = await client.GetResourcesAsync();
        }
        catch (LeafAuthenticationException ex)
        {
            // The token was refused (or the login): fix the credentials; retrying will not help.
            messages.Add($"Leaf refused the credentials: {ex.Message}");
        }
        catch (LeafApiException ex) when (ex.IsTransient)
        {
            // Retries and time-outs are spent: Leaf is down or slow. Try again later.
            messages.Add($"Leaf is unavailable ({ex.StatusCode}, {ex.Attempts} attempts): {ex.Message}");
        }
        catch (LeafApiException ex)
        {
            // Anything else: a 4xx, or an answer that could not be read. ex.Problem has Leaf's error body.
            messages.Add($"Leaf call failed: {ex.Message} {ex.Problem?.ErrorKey}");
        }
        // end-snippet

        Assert.That(messages.Single(), Does.StartWith("Leaf refused the credentials"));
    }

    [Test]
    public async Task Testing_with_the_fake_server()
    {
        // begin-snippet: fake-server
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        server.Seed(
        [
            new SyncSummary { Provider = Provider.JohnDeere, ProviderName = "JohnDeere", LeafUserId = DemoUsers.Healthy, Growers = 1, Farms = 2, Fields = 3 },
        ]);
        server.FailNext(2);   // an outage: two 503s, which the client retries

        var options = server.CreateClientOptions();
        options.RetryBaseDelay = TimeSpan.Zero;   // retry at once: the test waits for nothing
        using var client = new IntegrationsClient(options);
        var response = await client.GetResourcesAsync();

        Assert.That(response.Summaries.Single().Fields, Is.EqualTo(3));
        Assert.That(server.Requests, Has.Count.EqualTo(3));
        // end-snippet
    }

    [Test]
    public async Task Authentication_three_ways()
    {
        using var server = FakeLeafServer.Start();
        var token = server.AccessToken;
        var username = server.Username;
        var password = server.Password;
        var vault = new StubVault(server.AccessToken);

        // begin-snippet: auth-token
        var withToken = new LeafClientOptions { AccessToken = token };
        // end-snippet

        // begin-snippet: auth-login
        var withLogin = new LeafClientOptions { Username = username, Password = password };
        // end-snippet

        // begin-snippet: auth-source
        var withSource = new LeafClientOptions { TokenSource = new VaultTokenSource(vault) };
        // end-snippet

        foreach (var options in new[] { withToken, withLogin, withSource })
        {
            options.BaseAddress = server.BaseAddress;
            using var client = new IntegrationsClient(options);
            var response = await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);
            Assert.That(response.Summaries, Has.Count.EqualTo(4));
        }

        Assert.That(server.LoginCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Authentication_in_dependency_injection()
    {
        // Answers only a call that carries the vault's token.
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet().WithHeader("Authorization", "Bearer vault-token"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
        var services = new ServiceCollection();
        services.AddSingleton<IVaultClient>(new StubVault("vault-token"));

        // begin-snippet: auth-source-di
        services.AddSingleton<ILeafTokenSource, VaultTokenSource>();
        services.AddLeafSdk(options => options.BaseAddress = new Uri("https://api.withleaf.io"));
        // end-snippet

        // The snippet's address is Leaf's; here the calls go to the stub.
        services.PostConfigure<LeafClientOptions>(options => options.BaseAddress = new Uri(server.Url!));
        await using var provider = services.BuildServiceProvider();
        var response = await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Single().Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(server.LogEntries.Single().RequestMessage!.Headers!["Authorization"].Single(), Is.EqualTo("Bearer vault-token"), "the registered ILeafTokenSource's token");
        });
    }

    [Test]
    public void Retries_and_time_outs()
    {
        // begin-snippet: resilience
        var options = new LeafClientOptions
        {
            AccessToken = "<token>",
            MaxRetries = 5,                               // default 3; 0 turns retries off
            RetryBaseDelay = TimeSpan.FromSeconds(2),     // default 1 s, doubling, with jitter
            AttemptTimeout = TimeSpan.FromSeconds(20),    // default 10 s, headers and body
            TotalTimeout = TimeSpan.FromMinutes(2),       // default 60 s, back-off waits included
            EnableCircuitBreaker = false,                 // default true
        };
        // end-snippet

        using var client = new IntegrationsClient(options);
        Assert.That(options.ToString(), Does.Not.Contain("<token>"));
    }

    [Test]
    public async Task Sync_checks()
    {
        using var server = FakeLeafServer.Start();
        using var client = new IntegrationsClient(server.CreateClientOptions());
        var leafUserId = DemoUsers.NeedsAttention;
        var lines = new List<string>();

        // begin-snippet: sync-checks
        var expectations = new SyncExpectations
        {
            ExpectedProviders = { Provider.JohnDeere, Provider.ClimateFieldView },
            MinimumFields = 10,                       // for every provider
            MaxSyncAge = TimeSpan.FromHours(6),       // default 24 h
        }.RequireAtLeast(Provider.JohnDeere, FmisLevels.Grower, 2);

        SyncReport report = await client.CheckSyncAsync(leafUserId, expectations);
        foreach (SyncFinding finding in report.Findings)   // most serious first
        {
            lines.Add(finding.ToString());                 // "Error NoFields Trimble: ... Next: ..."
        }
        // end-snippet

        Assert.Multiple(() =>
        {
            Assert.That(report.HasErrors, Is.True);
            Assert.That(report.Findings.Select(f => f.Code), Does.Contain(SyncFindingCode.NoFields).And.Contain(SyncFindingCode.ExposedLevelMissing));
            Assert.That(lines, Has.Count.EqualTo(report.Findings.Count));
        });
    }

    [Test]
    public async Task Sync_checks_are_pure_functions()
    {
        using var server = FakeLeafServer.Start();
        using var client = new IntegrationsClient(server.CreateClientOptions());
        var leafUserId = DemoUsers.Stale;
        var response = await client.GetResourcesAsync(leafUserId: leafUserId);
        var timeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow);

        // begin-snippet: sync-checks-pure
        SyncReport report = SyncChecks.CheckUser(response, leafUserId, new SyncExpectations(), timeProvider);
        string sideBySide = SyncComparison.Create(response, leafUserId).ToString();   // n/a where a level does not exist
        // end-snippet

        Assert.Multiple(() =>
        {
            Assert.That(report.Findings.Single().Code, Is.EqualTo(SyncFindingCode.SyncStale));
            Assert.That(sideBySide, Does.Contain("n/a").And.Contain("Raven"));
        });
    }

    [Test]
    public async Task Health_check()
    {
        using var server = FakeLeafServer.Start();
        var services = new ServiceCollection();
        var leafUserId = DemoUsers.Healthy;
        services.AddLogging();
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.AccessToken = server.AccessToken;
        });

        // begin-snippet: health-check
        services.AddHealthChecks().AddLeafSync(options =>
        {
            options.LeafUserIds.Add(leafUserId);        // none: every Leaf user of the account, in one call
            options.Expectations.ExpectedProviders.Add(Provider.JohnDeere);
        });
        // end-snippet

        await using var provider = services.BuildServiceProvider();
        var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(HealthStatus.Healthy));
        _ = typeof(LeafSyncHealthCheckOptions);
    }

    // begin-snippet: vault-source
    public sealed class VaultTokenSource(IVaultClient vault) : ILeafTokenSource
    {
        public async ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
        {
            // Called on every attempt, so cache in the vault client; forceRenewal is true after Leaf answered 401.
            return await vault.GetSecretAsync("leaf-token", cancellationToken);
        }
    }
    // end-snippet

    /// <summary>Stands for the user's own secret store in the snippets.</summary>
    public interface IVaultClient
    {
        Task<string> GetSecretAsync(string name, CancellationToken cancellationToken);
    }

    private sealed class StubVault(string token) : IVaultClient
    {
        public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken) => Task.FromResult(token);
    }

    // begin-snippet: service
    public sealed class SyncReportService(IIntegrationsClient leaf)
    {
        public async Task<int> TotalFieldsAsync(Guid leafUserId, CancellationToken cancellationToken)
        {
            var response = await leaf.GetResourcesAsync(leafUserId: leafUserId, cancellationToken: cancellationToken);
            return response.Summaries.Sum(s => s.Fields ?? 0);
        }
    }
    // end-snippet
}
