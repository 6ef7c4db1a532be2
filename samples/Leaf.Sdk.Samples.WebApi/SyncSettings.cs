using Leaf.Sdk;

namespace LeafWebApi;

/// <summary>The app's "SyncChecks" configuration section: what a healthy sync looks like here.</summary>
internal sealed class SyncSettings
{
    public const string SectionName = "SyncChecks";

    /// <summary>The Leaf users /health checks; empty checks every user of the account in one call.</summary>
    public List<Guid> HealthLeafUserIds { get; set; } = [];

    /// <summary>Providers every checked user should have.</summary>
    public List<Provider> ExpectedProviders { get; set; } = [];

    /// <summary>The oldest a last sync may be.</summary>
    public TimeSpan MaxSyncAge { get; set; } = SyncExpectations.DefaultMaxSyncAge;

    /// <summary>The fewest fields each provider should report, if any.</summary>
    public int? MinimumFields { get; set; }

    public SyncExpectations ToExpectations()
    {
        var expectations = new SyncExpectations { MaxSyncAge = MaxSyncAge, MinimumFields = MinimumFields };
        foreach (var provider in ExpectedProviders)
        {
            expectations.ExpectedProviders.Add(provider);
        }

        return expectations;
    }
}
