namespace Leaf.Sdk;

/// <summary>
/// Supplies the bearer token for Leaf calls. Implement it to keep tokens in a vault or mint them elsewhere.
/// </summary>
/// <remarks>
/// The SDK asks for the token on every HTTP attempt, so a rotated token takes effect at once; cache inside the
/// source. Implementations must be thread-safe.
/// </remarks>
public interface ILeafTokenSource
{
    /// <summary>Returns the token to send.</summary>
    /// <param name="forceRenewal">
    /// <see langword="true"/> after Leaf answered 401 to the current token: return a fresh one if you can. Every call
    /// that got the 401 asks, so when many calls run at once, share one renewal among them.
    /// </param>
    /// <param name="cancellationToken">
    /// Cancelled when the caller cancels the call or the attempt times out: pass it on to whatever fetches the token. The
    /// SDK stops waiting for the token then, even if the source does not stop, and leaves the source to finish on its own.
    /// </param>
    /// <returns>The token, without the <c>Bearer</c> prefix.</returns>
    ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken);
}
