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
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    // Refused where it is set: taken, null came back from a getter annotated non-null, and o.Expectations.MaxSyncAge = ...
    // in a later Configure failed there with a NullReferenceException.
    public SyncExpectations Expectations
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = new();
}
