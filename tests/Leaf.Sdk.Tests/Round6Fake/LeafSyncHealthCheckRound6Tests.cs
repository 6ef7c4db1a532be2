using System.Net;
using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round6Fake;

/// <summary>
/// The health check as ASP.NET Core's and the Generic Host's <see cref="HealthCheckService"/> runs it: time-outs,
/// cancellation, registration settings, each finding severity, secrets and misconfiguration.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LeafSyncHealthCheckRound6Tests
{
    private const string Name = LeafSyncHealthChecksBuilderExtensions.DefaultName;

    private static ServiceProvider Services(FakeLeafServer server, Action<IHealthChecksBuilder> health, Action<LeafClientOptions>? tweak = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var options = server.CreateClientOptions();
        tweak?.Invoke(options);
        services.AddLeafSdk(o => TestClient.Copy(options, o));
        health(services.AddHealthChecks());
        more?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static IReadOnlyList<SyncFinding> Findings(HealthReportEntry entry) => (IReadOnlyList<SyncFinding>)entry.Data["findings"];

    [Test]
    public async Task Cancellation_by_the_health_check_service_stays_cancellation()
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = TimeSpan.FromMinutes(1);   // on a clock nobody advances
        await using var provider = Services(server, h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy)));
        using var cts = new CancellationTokenSource();

        // As when the app shuts down or the /health request is aborted: HealthCheckService lets it propagate.
        var run = provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(cts.Token);
        await ResilienceHarness.WaitUntilAsync(() => clock.TimersCreated == 1, "the server holds the request");
        await cts.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task The_registration_time_out_is_the_failure_status_with_no_findings()
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = TimeSpan.FromMinutes(1);
        await using var provider = Services(server, h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy), failureStatus: HealthStatus.Degraded, timeout: TimeSpan.FromMilliseconds(200)));

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[Name];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(entry.Description, Is.EqualTo("A timeout occurred while running check."));
            Assert.That(entry.Exception, Is.InstanceOf<OperationCanceledException>(), "the SDK kept the check's cancellation a cancellation");
        });
    }

    [Test]
    public async Task The_registration_time_out_during_the_login_is_a_time_out_too()
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = TimeSpan.FromMinutes(1);   // the login is held on a clock nobody advances
        await using var provider = Services(
            server,
            h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy), timeout: TimeSpan.FromMilliseconds(200)),
            o =>
            {
                o.AccessToken = null;
                o.Username = server.Username;
                o.Password = server.Password;
            });

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[Name];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Is.EqualTo("A timeout occurred while running check."));
            Assert.That(entry.Exception, Is.InstanceOf<OperationCanceledException>());
            Assert.That(server.Requests, Is.Empty, "only the login was made, and it was still held");
        });
    }

    [Test]
    public async Task The_sdk_s_own_time_out_is_a_failed_call_with_its_attempts()
    {
        var clock = new TimerCountingTimeProvider(DateTimeOffset.UtcNow);
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = clock });
        server.Latency = TimeSpan.FromMinutes(1);
        await using var provider = Services(server, h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy)), o =>
        {
            o.MaxRetries = 0;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
        });

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[Name];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Does.StartWith("The Leaf Sync Summary call failed: ").And.Contain("AttemptTimeout"));
            Assert.That(entry.Exception, Is.InstanceOf<LeafApiException>().With.Property(nameof(LeafApiException.IsTransient)).True);
            Assert.That(entry.Data["attempts"], Is.EqualTo(1));
            Assert.That(entry.Data.ContainsKey("statusCode"), Is.False, "no answer arrived");
        });
    }

    [Test]
    public async Task A_failed_call_reports_the_failure_status_with_the_registration_tags()
    {
        using var server = FakeLeafServer.Start();
        server.FailNext(10, HttpStatusCode.BadGateway);
        await using var provider = Services(
            server,
            h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy), failureStatus: HealthStatus.Degraded, tags: ["leaf", "ready"]),
            o => o.MaxRetries = 1);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));
        var entry = report.Entries[Name];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(entry.Tags, Is.EquivalentTo(new[] { "leaf", "ready" }));
            Assert.That(entry.Exception, Is.InstanceOf<LeafApiException>());
            Assert.That(entry.Data["statusCode"], Is.EqualTo(502));
            Assert.That(entry.Data["attempts"], Is.EqualTo(2));
            Assert.That(entry.Data.ContainsKey("findings"), Is.False, "no findings when nothing was checked");
        });
    }

    [Test]
    public async Task Each_severity_maps_to_its_status()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        Guid info = Guid.NewGuid(), warning = Guid.NewGuid(), error = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        server.Seed(
        [
            new SyncSummary { Provider = Provider.Unknown, ProviderName = "Panorama", LeafUserId = info, Growers = 1, Farms = 1, Fields = 4, SyncReferenceTime = now },
            new SyncSummary { Provider = Provider.Stara, LeafUserId = warning, Fields = 4, SyncReferenceTime = now.AddDays(-3) },
            new SyncSummary { Provider = Provider.Stara, LeafUserId = error, Fields = 0, SyncReferenceTime = now },
        ]);
        await using var provider = Services(server, h => h
            .AddLeafSync(o => o.LeafUserIds.Add(info), name: "info")
            .AddLeafSync(o => o.LeafUserIds.Add(warning), name: "warning")
            .AddLeafSync(o => o.LeafUserIds.Add(error), name: "error")
            .AddLeafSync(o => o.LeafUserIds.Add(error), name: "error-soft", failureStatus: HealthStatus.Degraded));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Multiple(() =>
        {
            Assert.That(report.Entries["info"].Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(Findings(report.Entries["info"]).Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.UnknownProvider }), "an Info finding is kept in the data");
            Assert.That(report.Entries["warning"].Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(Findings(report.Entries["warning"]).Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.SyncStale }));
            Assert.That(report.Entries["error"].Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(Findings(report.Entries["error"]).Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.NoFields }));
            Assert.That(report.Entries["error-soft"].Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(report.Status, Is.EqualTo(HealthStatus.Unhealthy));
        });
    }

    [Test]
    public async Task A_user_configured_twice_is_checked_once()
    {
        using var server = FakeLeafServer.Start();

        // Once from configuration, once in code: the options of one registration accumulate.
        await using var provider = Services(
            server,
            h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Stale)),
            more: s => s.Configure<LeafSyncHealthCheckOptions>(Name, o => o.LeafUserIds.Add(DemoUsers.Stale)));

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[Name];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(entry.Data["leafUsers"], Is.EqualTo(1));
            Assert.That(entry.Data["warnings"], Is.EqualTo(1), "Raven's stale sync, once");
            Assert.That(Findings(entry), Has.Count.EqualTo(1));
            Assert.That(entry.Description, Does.StartWith("Leaf sync of 1 Leaf user: 0 error(s), 1 warning(s)."));
            Assert.That(server.Requests, Has.Count.EqualTo(1), "one call for the one user");
        });
    }

    [Test]
    public async Task A_refused_login_shows_neither_password_nor_token()
    {
        using var server = FakeLeafServer.Start();
        const string password = "not-the-demo-password-7Qx";
        await using var provider = Services(server, h => h.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy)), o =>
        {
            o.AccessToken = null;
            o.Username = server.Username;
            o.Password = password;
        });

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[Name];
        var everything = string.Join("\n", entry.Description, entry.Exception, string.Join(",", entry.Data.Select(d => $"{d.Key}={d.Value}")));

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Exception, Is.InstanceOf<LeafAuthenticationException>());
            Assert.That(everything, Does.Not.Contain(password).And.Not.Contain(server.AccessToken));
            Assert.That(entry.Description, Does.Contain("Check Username and Password"));
        });
    }

    [Test]
    public async Task A_misconfigured_leaf_client_stops_the_host_at_start_not_at_the_first_probe()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLeafSdk(o => o.BaseAddress = new Uri("https://api.withleaf.io"));   // no way to authenticate
        builder.Services.AddHealthChecks().AddLeafSync();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(ex!.Message, Does.Contain("No way to authenticate is set"));
    }

    [Test]
    public async Task A_missing_add_leaf_sdk_is_named_when_the_check_runs()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddLeafSync();
        await using var provider = services.BuildServiceProvider();

        // Round 14: the check reports it, as it reports its other wrong settings where no host started. Before, the
        // registration's factory threw, as Microsoft's own checks that resolve a service do, and the whole report with it.
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.That(report.Entries[Name].Description, Does.Contain(nameof(IIntegrationsClient)).And.Contain("AddLeafSdk"));
    }
}

[Parallelizable(ParallelScope.All)]
public sealed class LeafSyncRegistrationRound6Tests
{
    [TestCase(0)]
    [TestCase(-5)]
    public void A_time_out_of_zero_or_less_is_refused_when_registering(int milliseconds)
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddHealthChecks().AddLeafSync(timeout: TimeSpan.FromMilliseconds(milliseconds)));

        Assert.That(ex!.ParamName, Is.EqualTo("timeout"));
    }

    [Test]
    public void The_same_name_twice_is_refused_naming_it()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLeafSdk(o => o.AccessToken = "token");
        var health = services.AddHealthChecks().AddLeafSync();

        // Round 14: refused where it is written. Before, by the health check service when the checks first ran.
        var ex = Assert.Throws<ArgumentException>(() => health.AddLeafSync(name: "LEAF-SYNC"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("name"));
            Assert.That(ex.Message, Does.Contain("named 'leaf-sync' is already added"));
        });
    }
}

[Parallelizable(ParallelScope.All)]
public sealed class LeafSyncFailureStatusRound6Tests
{
    [Test]
    public async Task A_warning_never_reports_worse_than_an_error_would()
    {
        using var server = FakeLeafServer.Start();
        var services = new ServiceCollection();
        services.AddLogging();
        var options = server.CreateClientOptions();
        services.AddLeafSdk(o => TestClient.Copy(options, o));

        // failureStatus: Healthy, for a check that shows the findings but must never fail a probe.
        services.AddHealthChecks()
            .AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Stale), name: "warning", failureStatus: HealthStatus.Healthy)
            .AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.NeedsAttention), name: "error", failureStatus: HealthStatus.Healthy);
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Multiple(() =>
        {
            Assert.That(report.Entries["error"].Status, Is.EqualTo(HealthStatus.Healthy));

            // Before: Degraded, worse than the error's status.
            Assert.That(report.Entries["warning"].Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(report.Entries["warning"].Data["warnings"], Is.EqualTo(1), "the finding is still reported");
            Assert.That(report.Entries["warning"].Description, Does.Contain("1 warning(s)"));
        });
    }
}
