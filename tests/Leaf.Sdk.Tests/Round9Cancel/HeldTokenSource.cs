namespace Leaf.Sdk.Tests.Round9Cancel;

/// <summary>
/// A token source of the user's that answers at once, or holds its first token or its renewal until released; a held
/// request honours its cancellation token, as the README's vault source does.
/// </summary>
internal sealed class HeldTokenSource : ILeafTokenSource
{
    public const string First = "first-token";
    public const string Renewed = "renewed-token";

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;
    private int _renewals;
    private int _pending;

    public bool HoldFirst { get; set; }

    public bool HoldRenewal { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public int Renewals => Volatile.Read(ref _renewals);

    /// <summary>Requests being held right now.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Release()
    {
        HoldFirst = false;
        HoldRenewal = false;
        _release.TrySetResult();
    }

    public async ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref forceRenewal ? ref _renewals : ref _requests);
        if (forceRenewal ? HoldRenewal : HoldFirst)
        {
            Interlocked.Increment(ref _pending);
            try
            {
                await _release.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }

        return forceRenewal ? Renewed : First;
    }
}
