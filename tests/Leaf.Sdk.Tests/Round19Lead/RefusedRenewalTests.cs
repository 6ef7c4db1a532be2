using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round19Lead;

/// <summary>
/// A token source of the app's own may refuse a renewal with a <see cref="LeafAuthenticationException"/> of its own
/// making, which counts no attempts. When it does so after Leaf refused the token, the call's error is still that
/// type, with the attempt that was sent counted: rebuilt as a plain <see cref="LeafApiException"/>, a caller's
/// <c>catch (LeafAuthenticationException)</c> missed it (a mutant that did so passed every other test).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RefusedRenewalTests
{
    [Test]
    public async Task A_renewal_refused_by_the_apps_token_source_stays_an_authentication_error([Values] ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources("""{"title":"Unauthorized","status":401}""", 401);
        var options = Stub.Options(server);
        options.AccessToken = null;
        options.TokenSource = new RefusingRenewal();
        using var client = TestClient.Create(kind, options);

        var error = await Assert.ThrowsAsync<LeafAuthenticationException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("The vault would not renew the Leaf token."));
            Assert.That(error.Attempts, Is.EqualTo(1), "the attempt Leaf refused");
            Assert.That(server.LogEntries, Has.Count.EqualTo(1));
        });
    }

    /// <summary>Hands out a token, and refuses to renew it.</summary>
    private sealed class RefusingRenewal : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) =>
            forceRenewal ? throw new LeafAuthenticationException("The vault would not renew the Leaf token.") : ValueTask.FromResult(Stub.Token);
    }
}
