namespace Leaf.Sdk.HealthChecks;

/// <summary>Settings of the Leaf sync health check that <c>AddLeafSync</c> registers.</summary>
public sealed class LeafSyncHealthCheckOptions
{
    /// <summary>
    /// The Leaf users to check, one Sync Summary call each (a user listed twice is checked once). Empty (the default)
    /// checks every Leaf user of the API owner with a single call.
    /// </summary>
    public IList<Guid> LeafUserIds { get; } = [];

    /// <summary>What each user's sync should look like. Defaults to <see cref="SyncExpectations"/>' defaults (last sync within 24 hours).</summary>
    public SyncExpectations Expectations { get; set; } = new();
}
