using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Abuse;

/// <summary>
/// Only the caller's own mistakes (a bad filter) are an ArgumentException; anything that fails inside the call is a
/// LeafApiException with the cause inside, whatever its type, so a caller's catch for LeafApiException sees it.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FailureTypeTests
{
    private static IEnumerable<TestCaseData> Failures()
    {
        foreach (var kind in new[] { ClientKind.Standalone, ClientKind.DependencyInjection })
        {
            yield return new TestCaseData(kind, new ArgumentNullException("vaultKey")).SetArgDisplayNames(kind.ToString(), "ArgumentNullException");
            yield return new TestCaseData(kind, new ArgumentException("No secret by that name.", "secretName")).SetArgDisplayNames(kind.ToString(), "ArgumentException");
            yield return new TestCaseData(kind, new InvalidOperationException("The vault is sealed.")).SetArgDisplayNames(kind.ToString(), "InvalidOperationException");
        }
    }

    [TestCaseSource(nameof(Failures))]
    public async Task A_token_source_that_throws_fails_the_call_with_a_LeafApiException_holding_the_cause(ClientKind kind, Exception thrown)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var options = Stub.Options(server, maxRetries: 2);
        options.AccessToken = null;
        options.TokenSource = new ThrowingTokenSource(thrown);
        using var client = TestClient.Create(kind, options);

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync(Provider.JohnDeere));

        Assert.That(error.InnerException, Is.SameAs(thrown));
        Assert.That(error.Message, Does.Contain(thrown.GetType().Name));
        Assert.That(error.Attempts, Is.Zero);
        Assert.That(server.LogEntries, Is.Empty);
    }

    private sealed class ThrowingTokenSource(Exception exception) : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) =>
            ValueTask.FromException<string>(exception);
    }
}
