namespace Leaf.Sdk;

/// <summary>
/// A farm-management (FMIS) provider that Leaf connects to.
/// </summary>
/// <remarks>
/// Leaf adds providers over time. A summary for a provider that this version of the SDK does not know
/// reports <see cref="Unknown"/> and keeps the raw name in <see cref="SyncSummary.ProviderName"/>.
/// Use <see cref="Providers.GetInfo(Provider)"/> for a provider's API name, display name and FMIS levels.
/// </remarks>
public enum Provider
{
    /// <summary>A provider this version of the SDK does not know. Never valid as a filter.</summary>
    Unknown = 0,

    /// <summary>John Deere Operations Center (API name <c>JohnDeere</c>).</summary>
    JohnDeere,

    /// <summary>Climate FieldView (API name <c>ClimateFieldView</c>). Has no grower level.</summary>
    ClimateFieldView,

    /// <summary>CNHI AFS Connect, legacy (API name <c>CNHI</c>).</summary>
    CNHI,

    /// <summary>CNHI FieldOps (API name <c>CNHIFieldOps</c>).</summary>
    CNHIFieldOps,

    /// <summary>Trimble (API name <c>Trimble</c>).</summary>
    Trimble,

    /// <summary>Stara (API name <c>Stara</c>). Exposes fields only.</summary>
    Stara,

    /// <summary>Raven (API name <c>Raven</c>).</summary>
    Raven,

    /// <summary>AgVance (API name <c>AgVance</c>).</summary>
    AgVance,

    /// <summary>Sentera (API name <c>Sentera</c>). Exposes fields only.</summary>
    Sentera,
}
