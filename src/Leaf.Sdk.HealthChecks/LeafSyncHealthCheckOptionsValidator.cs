using Microsoft.Extensions.Options;

namespace Leaf.Sdk.HealthChecks;

/// <summary>
/// Checks one named health check's settings at start-up (<c>ValidateOnStart</c>), as <c>AddLeafSdk</c> checks the
/// client's: a Leaf user id of <see cref="Guid.Empty"/> or an expected provider that is not known was found only when
/// the check first ran, and every run then reported the registration's failure status for a mistake in the app's code.
/// </summary>
internal sealed class LeafSyncHealthCheckOptionsValidator(string name) : IValidateOptions<LeafSyncHealthCheckOptions>
{
    /// <summary>The name of the check whose settings this validates: one per AddLeafSync.</summary>
    internal string Name => name;

    public ValidateOptionsResult Validate(string? optionsName, LeafSyncHealthCheckOptions options)
    {
        if (optionsName != name)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (options.LeafUserIds.Contains(Guid.Empty))
        {
            failures.Add($"Health check '{name}': LeafUserIds holds Guid.Empty, which names no Leaf user: remove it (an empty list checks every Leaf user).");
        }

        foreach (var provider in options.Expectations.ExpectedProviders)
        {
            if (!Providers.All.Any(info => info.Provider == provider))
            {
                failures.Add($"Health check '{name}': Expectations.ExpectedProviders holds {provider}, which is not a known provider: expect known providers only (see Providers.All).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
