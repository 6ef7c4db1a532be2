namespace Leaf.Sdk.DependencyInjection;

/// <summary>
/// The client <c>AddLeafSdk</c> hands out: the SDK's client over the HttpClient IHttpClientFactory made, without
/// <see cref="IDisposable"/>. A typed client is transient, and a container keeps every transient
/// <see cref="IDisposable"/> it creates until the container itself is disposed: resolved from the root provider (a
/// background service asking for a client on every tick, say), each would live as long as the app, and its
/// HttpClient would keep IHttpClientFactory from retiring expired handlers. Nothing here needs disposing: the factory
/// owns the handlers and their connections.
/// </summary>
internal sealed class TypedIntegrationsClient(IntegrationsClient client) : IIntegrationsClient
{
    /// <summary>The client this one forwards to (for the SDK's own tests).</summary>
    internal IntegrationsClient Inner => client;

    public Task<SyncSummaryResponse> GetResourcesAsync(Provider? provider = null, Guid? leafUserId = null, CancellationToken cancellationToken = default) =>
        client.GetResourcesAsync(provider, leafUserId, cancellationToken);
}
