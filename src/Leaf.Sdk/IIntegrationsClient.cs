namespace Leaf.Sdk;

/// <summary>
/// Leaf's integrations service: what synced from each provider for each Leaf user. Inject this interface; mock it
/// in unit tests, or point the real client at <c>FakeLeafServer</c> from <c>Leaf.Sdk.Testing</c>.
/// </summary>
public interface IIntegrationsClient
{
    /// <summary>
    /// Gets the Sync Summary: how many growers, farms and fields synced, per provider and Leaf user
    /// (<c>GET /services/integrations/api/resources</c>).
    /// </summary>
    /// <param name="provider">Only this provider; <see langword="null"/> for all. Must be a known provider.</param>
    /// <param name="leafUserId">Only this Leaf user; <see langword="null"/> for every user of the API owner.</param>
    /// <param name="cancellationToken">Cancels the call, also during back-off waits and a login.</param>
    /// <returns>The summaries; an empty list when nothing synced.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="provider"/> is <see cref="Provider.Unknown"/> or not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="leafUserId"/> is <see cref="Guid.Empty"/>.</exception>
    /// <exception cref="LeafAuthenticationException">Leaf refused the token or the login, or the token cannot be sent.</exception>
    /// <exception cref="LeafApiException">Any other failure, after the retries the options allow.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed, or the service provider it came from.</exception>
    Task<SyncSummaryResponse> GetResourcesAsync(
        Provider? provider = null,
        Guid? leafUserId = null,
        CancellationToken cancellationToken = default);
}
