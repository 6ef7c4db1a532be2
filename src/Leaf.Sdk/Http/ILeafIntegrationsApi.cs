using Refit;

namespace Leaf.Sdk.Http;

/// <summary>
/// The Sync Summary endpoint, as Refit's source generator implements it. Returns the raw response: the handler
/// chain parses the body inside each attempt, so a body that breaks off is retried like any network error.
/// </summary>
internal interface ILeafIntegrationsApi
{
    [Get(LeafHttpPipeline.ResourcesPath)]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> GetResourcesAsync(
        [AliasAs("provider")] string? provider,
        [AliasAs("leafUserId")] string? leafUserId,
        [Property(CallState.Key)] CallState state,
        CancellationToken cancellationToken);
}
