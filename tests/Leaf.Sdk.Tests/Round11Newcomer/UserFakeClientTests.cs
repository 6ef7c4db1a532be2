using System.Net;
using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round11Newcomer;

/// <summary>
/// A user's own unit tests fake <see cref="IIntegrationsClient"/> without the fake server, as the interface's docs invite
/// ("mock it in unit tests"): every result and exception type is constructible, and the SDK's helpers on top of the
/// interface (CheckSyncAsync, the health check) work with a fake, and say plainly when the fake breaks the contract.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UserFakeClientTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    /// <summary>What a user writes by hand, or what a mocking library's default answer is.</summary>
    private sealed class FakeClient(Func<Provider?, Guid?, SyncSummaryResponse?> answer) : IIntegrationsClient
    {
        public int Calls { get; private set; }

        public Task<SyncSummaryResponse> GetResourcesAsync(Provider? provider = null, Guid? leafUserId = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(answer(provider, leafUserId)!);
        }
    }

    /// <summary>A mock set up with no answer at all for a method returning a task (a strict stub's null).</summary>
    private sealed class NullTaskClient : IIntegrationsClient
    {
        public Task<SyncSummaryResponse> GetResourcesAsync(Provider? provider = null, Guid? leafUserId = null, CancellationToken cancellationToken = default) => null!;
    }

    private sealed class ThrowingClient(Exception error) : IIntegrationsClient
    {
        public Task<SyncSummaryResponse> GetResourcesAsync(Provider? provider = null, Guid? leafUserId = null, CancellationToken cancellationToken = default) =>
            Task.FromException<SyncSummaryResponse>(error);
    }

    private static SyncSummary Deere(Guid user, int fields) => new()
    {
        Provider = Provider.JohnDeere,
        ProviderName = "JohnDeere",
        LeafUserId = user,
        Growers = 1,
        Farms = 1,
        Fields = fields,
        SyncReferenceTime = Time.GetUtcNow().AddHours(-1),
    };

    [Test]
    public async Task CheckSyncAsync_runs_over_a_hand_written_fake_with_public_constructors_only()
    {
        var fake = new FakeClient((_, user) => new SyncSummaryResponse { Message = "SUCCESS", Summaries = [Deere(user!.Value, 0)] });

        var report = await fake.CheckSyncAsync(DemoUsers.Healthy, timeProvider: Time);

        Assert.Multiple(() =>
        {
            Assert.That(fake.Calls, Is.EqualTo(1));
            Assert.That(report.LeafUserId, Is.EqualTo(DemoUsers.Healthy));
            Assert.That(report.Findings.Single().Code, Is.EqualTo(SyncFindingCode.NoFields));
            Assert.That(report.CheckedAt, Is.EqualTo(Time.GetUtcNow()));
        });
    }

    // A mocking library's default answer for Task<SyncSummaryResponse> is a task of null (Moq's DefaultValue.Empty,
    // NSubstitute's for a sealed type). The SDK said "Value cannot be null. (Parameter 'response')", naming a parameter
    // CheckSyncAsync does not have; it names the broken contract.
    [Test]
    public async Task CheckSyncAsync_over_a_fake_answering_null_says_the_client_returned_null()
    {
        var fake = new FakeClient((_, _) => null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fake.CheckSyncAsync(DemoUsers.Healthy, timeProvider: Time));

        Assert.That(error!.Message, Does.Contain("GetResourcesAsync").And.Contain("null").And.Contain(nameof(FakeClient)));
    }

    [Test]
    public async Task A_fake_answering_a_null_task_is_named_too_not_a_NullReferenceException()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new NullTaskClient().CheckSyncAsync(DemoUsers.Healthy, timeProvider: Time));
        await using var provider = HealthServices(new NullTaskClient(), _ => { });
        var entry = await RunAsync(provider);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain(nameof(NullTaskClient)).And.Contain("returned null"));
            Assert.That(entry.Exception, Is.InstanceOf<InvalidOperationException>());
            Assert.That(entry.Exception?.Message, Does.Contain(nameof(NullTaskClient)).And.Contain("returned null"));
        });
    }

    [Test]
    public async Task The_health_check_runs_over_a_fake_client_registered_without_AddLeafSdk()
    {
        var fake = new FakeClient((_, user) => new SyncSummaryResponse { Summaries = [Deere(user ?? DemoUsers.Healthy, 5)] });
        await using var provider = HealthServices(fake, o => o.LeafUserIds.Add(DemoUsers.Healthy));

        var entry = await RunAsync(provider);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy), entry.Description);
            Assert.That(entry.Data["leafUsers"], Is.EqualTo(1));
            Assert.That(fake.Calls, Is.EqualTo(1));
        });
    }

    // SyncChecks and SyncComparison pass over a null entry in Summaries (a list a fake built by hand); the health check
    // of every user counted the users with s.LeafUserId and failed with a NullReferenceException of its own.
    [Test]
    public async Task The_health_check_of_every_user_passes_over_a_null_summary_as_the_sync_checks_do()
    {
        var fake = new FakeClient((_, _) => new SyncSummaryResponse { Summaries = [Deere(DemoUsers.Healthy, 5), null!] });
        await using var provider = HealthServices(fake, _ => { });

        var entry = await RunAsync(provider);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Exception, Is.Null);
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy), entry.Description);
            Assert.That(entry.Data["leafUsers"], Is.EqualTo(1));
        });
    }

    [TestCase(true, TestName = "The health check over a fake answering null names the broken contract, one user")]
    [TestCase(false, TestName = "The health check over a fake answering null names the broken contract, every user")]
    public async Task The_health_check_over_a_fake_answering_null_names_the_broken_contract(bool oneUser)
    {
        var fake = new FakeClient((_, _) => null);
        await using var provider = HealthServices(fake, o =>
        {
            if (oneUser)
            {
                o.LeafUserIds.Add(DemoUsers.Healthy);
            }
        });

        var entry = await RunAsync(provider);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Exception, Is.InstanceOf<InvalidOperationException>());
            Assert.That(entry.Exception?.Message, Does.Contain("GetResourcesAsync").And.Contain("null"));
        });
    }

    // LeafApiException and LeafAuthenticationException have public constructors with every detail, so a fake can
    // stand in for Leaf's failures; the health check reads them as it reads the SDK's own.
    [Test]
    public async Task A_fake_throwing_a_LeafApiException_built_in_the_test_is_the_failure_status_with_its_details()
    {
        var problem = new LeafProblem("about:blank", "Service Unavailable", 503, "down", "/services/integrations/api/resources", "error.http.503", null);
        var fake = new ThrowingClient(new LeafApiException("Leaf is down.", HttpStatusCode.ServiceUnavailable, problem, "{\"title\":\"Service Unavailable\"}", isTransient: true, attempts: 4));
        await using var provider = HealthServices(fake, o => o.LeafUserIds.Add(DemoUsers.Healthy), HealthStatus.Degraded);

        var entry = await RunAsync(provider);
        var error = (LeafApiException)entry.Exception!;

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(entry.Description, Does.Contain("Leaf is down."));
            Assert.That(entry.Data["attempts"], Is.EqualTo(4));
            Assert.That(entry.Data["statusCode"], Is.EqualTo(503));
            Assert.That((error.Problem, error.IsTransient, error.ResponseExcerpt), Is.EqualTo((problem, true, "{\"title\":\"Service Unavailable\"}")));
            Assert.That(error.ToString(), Does.Contain("Status: 503 ServiceUnavailable").And.Contain("Attempts: 4"));
        });
    }

    [Test]
    public void A_LeafAuthenticationException_built_in_a_test_is_a_LeafApiException_that_is_never_transient()
    {
        var inner = new InvalidOperationException("vault sealed");
        var error = new LeafAuthenticationException("Leaf refused the token.", HttpStatusCode.Unauthorized, attempts: 1, innerException: inner);
        var plain = new LeafAuthenticationException("no token", inner);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<LeafApiException>());
            Assert.That((error.StatusCode, error.IsTransient, error.Attempts, error.InnerException), Is.EqualTo(((HttpStatusCode?)HttpStatusCode.Unauthorized, false, 1, inner)));
            Assert.That((plain.StatusCode, plain.Problem, plain.ResponseExcerpt, plain.IsTransient, plain.Attempts), Is.EqualTo(((HttpStatusCode?)null, (LeafProblem?)null, (string?)null, false, 0)));
            Assert.That(plain.ToString(), Does.Not.Contain("Status:").And.Not.Contain("Attempts:"));
        });
    }

    private static ServiceProvider HealthServices(IIntegrationsClient fake, Action<LeafSyncHealthCheckOptions> configure, HealthStatus? failureStatus = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(fake);
        services.AddSingleton<TimeProvider>(Time);
        services.AddHealthChecks().AddLeafSync(configure, failureStatus: failureStatus);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static async Task<HealthReportEntry> RunAsync(ServiceProvider provider)
    {
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName];
    }
}
