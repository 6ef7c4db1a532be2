using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.HealthChecks;

/// <summary>
/// Stands in for a Leaf sync check whose settings are wrong, where no host checked them at start-up (a service provider
/// built by hand): it reports the registration's failure status with what is wrong, as the check itself would report
/// any other failure, instead of failing the whole health report from the registration's factory.
/// </summary>
internal sealed class InvalidSettingsHealthCheck(OptionsValidationException error) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(new HealthCheckResult(context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy, error.Message, error));
}
