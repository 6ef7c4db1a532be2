using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaf.Sdk.Tests.Round14Api;

/// <summary>
/// A second <c>AddLeafSync</c> under a name already taken (two checks for two groups of users, the name left at its
/// default) is refused where it is written. Before, the app started, and every run of the health checks then failed in
/// HealthCheckService ("Duplicate health checks were registered with the name(s): leaf-sync"): each probe of the
/// health endpoint a 500, far from the line at fault.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HealthCheckDuplicateNameTests
{
    [TestCase(LeafSyncHealthChecksBuilderExtensions.DefaultName, LeafSyncHealthChecksBuilderExtensions.DefaultName)]
    [TestCase("farms", "farms")]
    [TestCase("farms", "FARMS")]   // HealthCheckService compares names ignoring case
    public void A_second_check_under_a_name_already_taken_is_refused_naming_it(string first, string second)
    {
        var services = new ServiceCollection();
        var builder = services.AddHealthChecks().AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy), name: first);
        var registered = services.Count;

        var ex = Assert.Throws<ArgumentException>(() => builder.AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Stale), name: second));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("name"));
            Assert.That(ex.Message, Does.StartWith($"A Leaf sync health check named '{first}' is already added: give each AddLeafSync a name of its own"));
            Assert.That(services, Has.Count.EqualTo(registered), "nothing more registered");
        });
    }

    [Test]
    public async Task Checks_under_names_of_their_own_each_run()
    {
        using var server = FakeLeafServer.Start();
        var services = new ServiceCollection();
        services.AddLogging();
        var options = server.CreateClientOptions();
        services.AddLeafSdk(o => TestClient.Copy(options, o));
        services.AddHealthChecks()
            .AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Healthy))
            .AddLeafSync(o => o.LeafUserIds.Add(DemoUsers.Stale), name: "leaf-sync-stale");
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Multiple(() =>
        {
            Assert.That(report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName].Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(report.Entries["leaf-sync-stale"].Status, Is.EqualTo(HealthStatus.Degraded), "Raven's nine-day-old sync");
        });
    }

    [Test]
    public void Keyed_services_registered_before_do_not_get_in_the_way()
    {
        // Reading a keyed descriptor's ImplementationInstance throws: the look for a name already taken must skip them.
        var services = new ServiceCollection();
        services.AddKeyedSingleton<object>("key", new object());

        Assert.DoesNotThrow(() => services.AddHealthChecks().AddLeafSync().AddLeafSync(name: "second"));
    }

    [Test]
    public void Separate_service_collections_each_take_the_default_name()
    {
        // The check is per collection: a test suite that builds one host per test adds the default name many times.
        Assert.DoesNotThrow(() =>
        {
            new ServiceCollection().AddHealthChecks().AddLeafSync();
            new ServiceCollection().AddHealthChecks().AddLeafSync();
        });
    }
}
