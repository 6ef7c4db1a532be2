using Leaf.Sdk.Tests.Round7Options;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round17Lead;

/// <summary>
/// A keyed <see cref="ILeafTokenSource"/> is the app's own business (another tenant's, say): the SDK uses the unkeyed
/// registration only, so a keyed one of any lifetime neither stands in for the configured token nor is refused as a
/// scoped token source at start-up. (A keyed descriptor throws when asked for its implementation type, so treating it
/// as the SDK's would have failed start-up with an InvalidOperationException about keyed services.)
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class KeyedTokenSourceTests
{
    private sealed class OtherTenantTokens : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult("other-tenant-token");
    }

    [Test]
    public void A_keyed_token_source_of_any_lifetime_leaves_the_configured_token_in_charge(
        [Values(ServiceLifetime.Scoped, ServiceLifetime.Singleton)] ServiceLifetime lifetime)
    {
        var (options, error) = R7Config.Resolve(s =>
        {
            s.Add(new ServiceDescriptor(typeof(ILeafTokenSource), "tenant-b", typeof(OtherTenantTokens), lifetime));
            s.AddLeafSdk(R7Config.Section(("AccessToken", R7Config.Token)));
        });

        Assert.That(error, Is.Null, () => error!.Message);
        Assert.That(options!.AccessToken, Is.EqualTo(R7Config.Token));
    }
}
