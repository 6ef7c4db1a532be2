namespace Leaf.Sdk.Authentication;

/// <summary>
/// A token source that can tell a rejected token from a fresh one, so many concurrent 401s cause one renewal.
/// </summary>
internal interface IRenewableTokenSource
{
    ValueTask<string> RenewAsync(string rejectedToken, CancellationToken cancellationToken);
}
