namespace Leaf.Sdk;

/// <summary>How serious a <see cref="SyncFinding"/> is. Ordered: a greater value is more serious.</summary>
public enum SyncFindingSeverity
{
    /// <summary>Worth knowing; nothing to fix.</summary>
    Info = 0,

    /// <summary>Data may be missing or old; worth a look.</summary>
    Warning = 1,

    /// <summary>The connection does not deliver what it should; act on it.</summary>
    Error = 2,
}
