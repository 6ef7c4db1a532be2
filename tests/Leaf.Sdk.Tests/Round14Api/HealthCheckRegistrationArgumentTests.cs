using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaf.Sdk.Tests.Round14Api;

/// <summary>
/// <c>AddLeafSync</c> called wrongly: each mistake is refused at once, naming the parameter, before anything is
/// registered, so a caught refusal leaves no half of a check behind (an options validator that ValidateOnStart runs for
/// a check that does not exist).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HealthCheckRegistrationArgumentTests
{
    [TestCase(42)]
    [TestCase(-1)]
    [TestCase(3)]
    public void A_failure_status_outside_the_enum_is_refused(int status)
    {
        // Before: taken, a check that found errors reported status 42, which HealthReport's aggregate (the lowest
        // status wins) read as Healthy, and ASP.NET Core's health endpoint had no HTTP status to map it to.
        var services = new ServiceCollection();
        var builder = services.AddHealthChecks();
        var registered = services.Count;

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddLeafSync(failureStatus: (HealthStatus)status));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("failureStatus"));
            Assert.That(ex.ActualValue, Is.EqualTo((HealthStatus)status));
            Assert.That(services, Has.Count.EqualTo(registered), "nothing registered");
        });
    }

    [TestCase(HealthStatus.Unhealthy)]
    [TestCase(HealthStatus.Degraded)]
    [TestCase(HealthStatus.Healthy)]
    public void Every_defined_failure_status_is_taken(HealthStatus status)
    {
        var services = new ServiceCollection();

        Assert.DoesNotThrow(() => services.AddHealthChecks().AddLeafSync(failureStatus: status));
    }

    [TestCase(0L)]
    [TestCase(-5L)]
    public void A_time_out_that_is_not_positive_is_refused_before_anything_is_registered(long milliseconds)
    {
        // The refusal itself came from HealthCheckRegistration, after the check's options, their validator and
        // ValidateOnStart were already in the services.
        var services = new ServiceCollection();
        var builder = services.AddHealthChecks();
        var registered = services.Count;

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddLeafSync(timeout: TimeSpan.FromMilliseconds(milliseconds)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("timeout"));
            Assert.That(services, Has.Count.EqualTo(registered), "nothing registered");
        });
    }

    [Test]
    public void An_infinite_time_out_is_taken_as_no_time_out()
    {
        var services = new ServiceCollection();

        Assert.DoesNotThrow(() => services.AddHealthChecks().AddLeafSync(timeout: Timeout.InfiniteTimeSpan));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void A_missing_name_is_refused_before_anything_is_registered(string? name)
    {
        var services = new ServiceCollection();
        var builder = services.AddHealthChecks();
        var registered = services.Count;

        var ex = Assert.Catch<ArgumentException>(() => builder.AddLeafSync(name: name!));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("name"));
            Assert.That(ex, name is null ? Is.InstanceOf<ArgumentNullException>() : Is.Not.InstanceOf<ArgumentNullException>());
            Assert.That(services, Has.Count.EqualTo(registered), "nothing registered");
        });
    }
}
