namespace Leaf.Sdk;

/// <summary>
/// The answer of Leaf's Sync Summary endpoint: one <see cref="SyncSummary"/> per provider and Leaf user.
/// </summary>
public sealed record SyncSummaryResponse
{
    /// <summary>Leaf's status message (<c>SUCCESS</c>), or <see langword="null"/> for the older bare-array shape.</summary>
    public string? Message { get; init; }

    /// <summary>The summaries; empty, never <see langword="null"/>, when nothing synced.</summary>
    public IReadOnlyList<SyncSummary> Summaries { get; init; } = [];
}
