using Refit;

namespace Leaf.Sdk.Benchmarks.Contenders;

/// <summary>What a user would write with Refit alone: the endpoint, typed result, default settings.</summary>
public interface IPlainRefitApi
{
    /// <summary>GET the Sync Summary.</summary>
    /// <param name="provider">Optional provider filter.</param>
    /// <param name="leafUserId">Optional user filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The envelope.</returns>
    [Get("/services/integrations/api/resources")]
    Task<SummaryEnvelopeDto> GetResourcesAsync(
        [AliasAs("provider")] string? provider = null,
        [AliasAs("leafUserId")] string? leafUserId = null,
        CancellationToken cancellationToken = default);
}
