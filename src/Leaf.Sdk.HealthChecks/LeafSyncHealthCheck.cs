using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaf.Sdk.HealthChecks;

/// <summary>
/// Runs the sync checks for the configured Leaf users: errors are the registration's failure status, warnings
/// Degraded (or the failure status, when that is Healthy).
/// </summary>
internal sealed class LeafSyncHealthCheck(IIntegrationsClient client, LeafSyncHealthCheckOptions options, TimeProvider timeProvider) : IHealthCheck
{
    /// <summary>The data key holding every <see cref="SyncFinding"/>, most serious first.</summary>
    internal const string FindingsKey = "findings";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        var reports = new List<SyncReport>();

        // A user listed twice (in configuration and in code, say) is one user: checked twice, its findings and the
        // counts in the description were doubled.
        var leafUserIds = options.LeafUserIds.Distinct().ToList();
        try
        {
            if (leafUserIds.Count == 0)
            {
                // As CheckSyncAsync says it for one user: a client of the user's own (a mock) that answers null broke
                // its contract, which "Value cannot be null. (Parameter 'response')" did not tell.
                var call = client.GetResourcesAsync(cancellationToken: cancellationToken);
                var response = (call is null ? null : await call.ConfigureAwait(false))
                    ?? throw new InvalidOperationException($"{client.GetType().FullName}.GetResourcesAsync returned null. An IIntegrationsClient returns a response (with empty Summaries when nothing synced); if it is a mock, set it up to return one.");
                reports.Add(SyncChecks.Check(response, options.Expectations, timeProvider));
            }
            else
            {
                foreach (var user in leafUserIds)
                {
                    reports.Add(await client.CheckSyncAsync(user, options.Expectations, timeProvider, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        catch (LeafApiException ex)
        {
            var data = new Dictionary<string, object> { ["attempts"] = ex.Attempts };
            if (ex.StatusCode is { } status)
            {
                data["statusCode"] = (int)status;
            }

            return new HealthCheckResult(failureStatus, $"The Leaf Sync Summary call failed: {ex.Message}", ex, data);
        }

        var findings = reports.SelectMany(r => r.Findings).OrderByDescending(f => f.Severity).ToList();
        var errors = findings.Count(f => f.Severity == SyncFindingSeverity.Error);
        var warnings = findings.Count(f => f.Severity == SyncFindingSeverity.Warning);
        var users = leafUserIds.Count == 0
            // A null entry (in a list a client of the user's own built) is no user, as the sync checks pass over it.
            ? reports[0].Response.Summaries.Select(s => s?.LeafUserId ?? Guid.Empty).Where(id => id != Guid.Empty).Distinct().Count()
            : leafUserIds.Count;
        var result = new Dictionary<string, object>
        {
            [FindingsKey] = findings,
            ["leafUsers"] = users,
            ["errors"] = errors,
            ["warnings"] = warnings,
            ["expectations"] = options.Expectations.ToString(),
        };

        var scope = string.Create(CultureInfo.InvariantCulture, $"{users} Leaf user{(users == 1 ? "" : "s")}");
        if (errors > 0 || warnings > 0)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"Leaf sync of {scope}: {errors} error(s), {warnings} warning(s). First: {findings[0]}");
            // A warning is Degraded, but never worse than an error: with failureStatus Healthy (a check that must not
            // fail a probe), a warning made the check Degraded while an error left it Healthy.
            var warningStatus = failureStatus > HealthStatus.Degraded ? failureStatus : HealthStatus.Degraded;
            return new HealthCheckResult(errors > 0 ? failureStatus : warningStatus, text, data: result);
        }

        return HealthCheckResult.Healthy($"Leaf sync of {scope}: no problems found.", result);
    }
}
