namespace Leaf.Sdk;

/// <summary>
/// What a <see cref="SyncFinding"/> is about. The names and values are stable: match on them in code, alerts and
/// dashboards.
/// </summary>
public enum SyncFindingCode
{
    /// <summary>
    /// Leaf has no summary at all for the Leaf user (or, when every user in the response is checked, for anyone): no
    /// provider connected, or nothing synced yet. Error. When a check of one Leaf user expects providers
    /// (<see cref="SyncExpectations.ExpectedProviders"/>), each is a <see cref="ProviderMissing"/> instead.
    /// </summary>
    NoSummaries = 1,

    /// <summary>An expected provider has no summary: the connection is missing or never synced. Error.</summary>
    ProviderMissing = 2,

    /// <summary>A provider reports 0 fields. Error.</summary>
    NoFields = 3,

    /// <summary>A level the provider exposes (per Leaf's FMIS table) is absent from the summary. Warning.</summary>
    ExposedLevelMissing = 4,

    /// <summary>A level the provider exposes is 0 while fields exist. Warning.</summary>
    ExposedLevelEmpty = 5,

    /// <summary>A level the provider does not expose carries a count: Leaf changed. Info.</summary>
    UnexpectedLevelCount = 6,

    /// <summary>The last sync is older than <see cref="SyncExpectations.MaxSyncAge"/>. Warning.</summary>
    SyncStale = 7,

    /// <summary>The summary has no sync time (the older response shape). Warning.</summary>
    SyncTimeMissing = 8,

    /// <summary>
    /// A count above 0 is below the minimum in <see cref="SyncExpectations"/>. Warning. A count of 0 is
    /// <see cref="NoFields"/> or <see cref="ExposedLevelEmpty"/> instead.
    /// </summary>
    BelowExpectedScope = 9,

    /// <summary>A provider this SDK version does not know: its levels cannot be checked. Info.</summary>
    UnknownProvider = 10,
}
