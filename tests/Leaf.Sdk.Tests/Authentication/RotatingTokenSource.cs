namespace Leaf.Sdk.Tests.Authentication;

/// <summary>A user's own token source whose token can be swapped at any time, as a vault rotation would.</summary>
internal sealed class RotatingTokenSource(string token) : ILeafTokenSource
{
    private string _token = token;
    private int _calls;
    private int _forced;

    public string Token
    {
        get => Volatile.Read(ref _token);
        set => Volatile.Write(ref _token, value);
    }

    public int Calls => Volatile.Read(ref _calls);

    public int ForcedRenewals => Volatile.Read(ref _forced);

    /// <summary>Called on a forced renewal; lets a test hand out a fresh token only then.</summary>
    public Func<string>? OnForcedRenewal { get; set; }

    public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (forceRenewal)
        {
            Interlocked.Increment(ref _forced);
            if (OnForcedRenewal is { } renew)
            {
                Token = renew();
            }
        }

        return ValueTask.FromResult(Token);
    }

    public override string ToString() => "RotatingTokenSource";
}
