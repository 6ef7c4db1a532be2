namespace Leaf.Sdk;

/// <summary>
/// The levels of the FMIS hierarchy (grower → farm → field) that a provider exposes.
/// </summary>
[Flags]
public enum FmisLevels
{
    /// <summary>No level.</summary>
    None = 0,

    /// <summary>The grower level.</summary>
    Grower = 1,

    /// <summary>The farm level.</summary>
    Farm = 2,

    /// <summary>The field level.</summary>
    Field = 4,
}
