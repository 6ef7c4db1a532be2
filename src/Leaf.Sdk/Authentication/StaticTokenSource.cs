namespace Leaf.Sdk.Authentication;

/// <summary>A fixed token: renewal cannot help, so a 401 is final.</summary>
internal sealed class StaticTokenSource(string token) : ILeafTokenSource
{
    public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult(token);

    public override string ToString() => "StaticTokenSource { token redacted }";
}
