namespace Leaf.Sdk.Authentication;

/// <summary>
/// The configured <see cref="LeafClientOptions.AccessToken"/>: renewal cannot help, so a 401 is final. Read on every
/// attempt, so a token rotated in reloadable configuration (DI) is picked up without a new client.
/// </summary>
internal sealed class StaticTokenSource(Func<string> currentToken) : ILeafTokenSource
{
    public StaticTokenSource(string token)
        : this(() => token)
    {
    }

    public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult(currentToken());

    public override string ToString() => "StaticTokenSource { token redacted }";
}
