using System.Net;
using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leaf.Sdk.Tests.Round11Newcomer;

// Inside the namespace, so SyncChecks is the library's class, not the Leaf.Sdk.Tests.SyncChecks namespace.
using SyncChecks = Leaf.Sdk.SyncChecks;

/// <summary>
/// Every <c>&lt;exception&gt;</c> the public XML docs promise for a caller's mistake, provoked: the documented type
/// exactly, and the parameter it names, thrown at the call (before any request).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class DocumentedExceptionTests
{
    private static readonly SyncSummaryResponse Empty = new() { Message = "SUCCESS" };
    private static readonly SyncSummary Deere = new() { Provider = Provider.JohnDeere, ProviderName = "JohnDeere", LeafUserId = DemoUsers.Healthy, Fields = 1 };

    private sealed class NeverCalled : IIntegrationsClient
    {
        public Task<SyncSummaryResponse> GetResourcesAsync(Provider? provider = null, Guid? leafUserId = null, CancellationToken cancellationToken = default) =>
            throw new AssertionException("The argument should have been refused before any call.");
    }

    private static SyncExpectations Expecting(Provider provider)
    {
        var expectations = new SyncExpectations();
        expectations.ExpectedProviders.Add(provider);
        return expectations;
    }

    private static IEnumerable<TestCaseData> Mistakes()
    {
        static TestCaseData Case(string name, Func<Task> call, Type type, string? parameter) =>
            new TestCaseData(call, type, parameter).SetArgDisplayNames(name);
        static Func<Task> Sync(Action action) => () =>
        {
            action();
            return Task.CompletedTask;
        };

        var aou = typeof(ArgumentOutOfRangeException);
        var an = typeof(ArgumentNullException);
        var ae = typeof(ArgumentException);

        // SyncChecks
        yield return Case("Check(null)", Sync(() => SyncChecks.Check(null!)), an, "response");
        yield return Case("Check(expecting Unknown)", Sync(() => SyncChecks.Check(Empty, Expecting(Provider.Unknown))), ae, "expectations");
        yield return Case("Check(expecting 999)", Sync(() => SyncChecks.Check(Empty, Expecting((Provider)999))), ae, "expectations");
        yield return Case("CheckUser(null)", Sync(() => SyncChecks.CheckUser(null!, DemoUsers.Healthy)), an, "response");
        yield return Case("CheckUser(Guid.Empty)", Sync(() => SyncChecks.CheckUser(Empty, Guid.Empty)), ae, "leafUserId");
        yield return Case("CheckUser(expecting 999)", Sync(() => SyncChecks.CheckUser(Empty, DemoUsers.Healthy, Expecting((Provider)999))), ae, "expectations");
        yield return Case("CheckSyncAsync(null client)", () => SyncChecks.CheckSyncAsync(null!, DemoUsers.Healthy), an, "client");
        yield return Case("CheckSyncAsync(Guid.Empty)", () => new NeverCalled().CheckSyncAsync(Guid.Empty), ae, "leafUserId");
        yield return Case("CheckSyncAsync(expecting Unknown)", () => new NeverCalled().CheckSyncAsync(DemoUsers.Healthy, Expecting(Provider.Unknown)), ae, "expectations");

        // SyncComparison and the models
        yield return Case("SyncComparison.Create(null)", Sync(() => SyncComparison.Create(null!, DemoUsers.Healthy)), an, "response");
        yield return Case("SyncComparison.ColumnName(null)", Sync(() => SyncComparison.ColumnName(null!)), an, "summary");
        yield return Case("SyncComparison.Cell(null)", Sync(() => SyncComparison.Cell(null!, FmisLevels.Field)), an, "summary");
        yield return Case("SyncComparison.Cell(None)", Sync(() => SyncComparison.Cell(Deere, FmisLevels.None)), aou, "level");
        yield return Case("SyncComparison.Cell(Farm|Field)", Sync(() => SyncComparison.Cell(Deere, FmisLevels.Farm | FmisLevels.Field)), aou, "level");
        yield return Case("SyncSummary.CountAt(8)", Sync(() => Deere.CountAt((FmisLevels)8)), aou, "level");

        // SyncExpectations
        yield return Case("RequireAtLeast(Unknown)", Sync(() => new SyncExpectations().RequireAtLeast(Provider.Unknown, FmisLevels.Field, 1)), aou, "provider");
        yield return Case("RequireAtLeast(999)", Sync(() => new SyncExpectations().RequireAtLeast((Provider)999, FmisLevels.Field, 1)), aou, "provider");
        yield return Case("RequireAtLeast(None)", Sync(() => new SyncExpectations().RequireAtLeast(Provider.JohnDeere, FmisLevels.None, 1)), aou, "level");
        yield return Case("RequireAtLeast(Stara, Grower)", Sync(() => new SyncExpectations().RequireAtLeast(Provider.Stara, FmisLevels.Grower, 1)), aou, "level");
        yield return Case("RequireAtLeast(-1)", Sync(() => new SyncExpectations().RequireAtLeast(Provider.JohnDeere, FmisLevels.Field, -1)), aou, "count");
        yield return Case("MinimumFor(All)", Sync(() => new SyncExpectations().MinimumFor(Provider.JohnDeere, FmisLevels.Grower | FmisLevels.Farm | FmisLevels.Field)), aou, "level");
        yield return Case("MaxSyncAge = 0", Sync(() => new SyncExpectations().MaxSyncAge = TimeSpan.Zero), aou, "value");

        // The client
        yield return Case("new IntegrationsClient(null)", Sync(() => new IntegrationsClient(null!).Dispose()), an, "options");
        yield return Case("new IntegrationsClient(null loggerFactory)", Sync(() => new IntegrationsClient(new LeafClientOptions { AccessToken = "t" }, null!, TimeProvider.System).Dispose()), an, "loggerFactory");
        yield return Case("new IntegrationsClient(null timeProvider)", Sync(() => new IntegrationsClient(new LeafClientOptions { AccessToken = "t" }, NullLoggerFactory.Instance, null!).Dispose()), an, "timeProvider");
        yield return Case("new IntegrationsClient(no credentials)", Sync(() => new IntegrationsClient(new LeafClientOptions()).Dispose()), ae, "options");
        yield return Case("GetResourcesAsync(Unknown)", () => WithClient(c => c.GetResourcesAsync(Provider.Unknown)), aou, "provider");
        yield return Case("GetResourcesAsync(999)", () => WithClient(c => c.GetResourcesAsync((Provider)999)), aou, "provider");
        yield return Case("GetResourcesAsync(Guid.Empty)", () => WithClient(c => c.GetResourcesAsync(leafUserId: Guid.Empty)), ae, "leafUserId");

        // Registration
        yield return Case("AddLeafSdk(null services, configuration)", Sync(() => LeafServiceCollectionExtensions.AddLeafSdk(null!, new ConfigurationBuilder().Build())), an, "services");
        yield return Case("AddLeafSdk(null configuration)", Sync(() => new ServiceCollection().AddLeafSdk((IConfiguration)null!)), an, "configuration");
        yield return Case("AddLeafSdk(null services, configure)", Sync(() => LeafServiceCollectionExtensions.AddLeafSdk(null!, _ => { })), an, "services");
        yield return Case("AddLeafSdk(null configure)", Sync(() => new ServiceCollection().AddLeafSdk((Action<LeafClientOptions>)null!)), an, "configure");
        yield return Case("AddLeafSync(null builder)", Sync(() => LeafSyncHealthChecksBuilderExtensions.AddLeafSync(null!)), an, "builder");
        yield return Case("AddLeafSync(null name)", Sync(() => new ServiceCollection().AddHealthChecks().AddLeafSync(name: null!)), an, "name");
        yield return Case("AddLeafSync(blank name)", Sync(() => new ServiceCollection().AddHealthChecks().AddLeafSync(name: " ")), ae, "name");
        yield return Case("AddLeafSync(zero timeout)", Sync(() => new ServiceCollection().AddHealthChecks().AddLeafSync(timeout: TimeSpan.Zero)), aou, "timeout");
        yield return Case("LeafSyncHealthCheckOptions.Expectations = null", Sync(() => new LeafSyncHealthCheckOptions().Expectations = null!), an, "value");

        // FakeLeafServer
        yield return Case("FakeLeafServer.Start(null clock)", Sync(() => FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = null! })), ae, "options");
        yield return Case("FakeLeafServer.Start(null username)", Sync(() => FakeLeafServer.Start(new FakeLeafServerOptions { Username = null! })), ae, "options");
        yield return Case("FakeLeafServer.Start(white-space username)", Sync(() => FakeLeafServer.Start(new FakeLeafServerOptions { Username = " " })), ae, "options");
        yield return Case("FakeLeafServer.Start(empty password)", Sync(() => FakeLeafServer.Start(new FakeLeafServerOptions { Password = string.Empty })), ae, "options");
        yield return Case("FakeLeafServer.Seed(null)", () => WithServer(s => s.Seed(null!)), an, "summaries");
        yield return Case("FakeLeafServer.Seed([null])", () => WithServer(s => s.Seed([null!])), ae, "summaries");
        yield return Case("FakeLeafServer.Add(null)", () => WithServer(s => s.Add((IEnumerable<SyncSummary>)null!)), an, "summaries");
        yield return Case("FakeLeafServer.Add(negative count)", () => WithServer(s => s.Add(Deere with { Farms = -1 })), ae, "summaries");
        yield return Case("FakeLeafServer.FailNext(-1)", () => WithServer(s => s.FailNext(-1)), aou, "count");
        yield return Case("FakeLeafServer.FailNext(200)", () => WithServer(s => s.FailNext(1, HttpStatusCode.OK)), aou, "status");
        yield return Case("FakeLeafServer.RateLimitNext(-1)", () => WithServer(s => s.RateLimitNext(-1, TimeSpan.Zero)), aou, "count");
        yield return Case("FakeLeafServer.RateLimitNext(-1 s)", () => WithServer(s => s.RateLimitNext(1, TimeSpan.FromSeconds(-1))), aou, "retryAfter");
        yield return Case("FakeLeafServer.Latency = -2 ms", () => WithServer(s => s.Latency = TimeSpan.FromMilliseconds(-2)), aou, "value");
    }

    private static async Task WithClient(Func<IntegrationsClient, Task> call)
    {
        using var client = new IntegrationsClient(new LeafClientOptions { AccessToken = "token-r11-newcomer", BaseAddress = new Uri("http://127.0.0.1:9") });
        await call(client);
    }

    private static Task WithServer(Action<FakeLeafServer> call)
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        call(server);
        return Task.CompletedTask;
    }

    [TestCaseSource(nameof(Mistakes))]
    public async Task A_documented_mistake_throws_the_documented_type_naming_the_parameter(Func<Task> call, Type type, string? parameter)
    {
        var error = await Assert.CatchAsync(async () => await call());

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.TypeOf(type), error?.ToString());
            Assert.That((error as ArgumentException)?.ParamName, Is.EqualTo(parameter), error?.Message);
        });
    }
}
