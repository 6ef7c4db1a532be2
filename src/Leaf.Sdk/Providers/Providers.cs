using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Leaf.Sdk;

/// <summary>
/// The catalogue of providers this SDK knows: capability metadata and parsing of API names.
/// </summary>
/// <example>
/// <code>
/// bool growers = Provider.ClimateFieldView.GetInfo().Exposes(FmisLevels.Grower); // false
/// </code>
/// </example>
public static class Providers
{
    private static readonly ProviderInfo[] Catalogue =
    [
        new(Provider.JohnDeere, "JohnDeere", "John Deere", FmisLevels.Grower | FmisLevels.Farm | FmisLevels.Field),
        new(Provider.ClimateFieldView, "ClimateFieldView", "Climate FieldView", FmisLevels.Farm | FmisLevels.Field),
        new(Provider.CNHI, "CNHI", "CNHI (AFS Connect - Legacy)", FmisLevels.Grower | FmisLevels.Farm | FmisLevels.Field),
        new(Provider.CNHIFieldOps, "CNHIFieldOps", "CNHI FieldOps", FmisLevels.Grower | FmisLevels.Farm | FmisLevels.Field),
        new(Provider.Trimble, "Trimble", "Trimble", FmisLevels.Grower | FmisLevels.Farm | FmisLevels.Field),
        new(Provider.Stara, "Stara", "Stara", FmisLevels.Field),
        new(Provider.Raven, "Raven", "Raven", FmisLevels.Grower | FmisLevels.Farm | FmisLevels.Field),
        new(Provider.AgVance, "AgVance", "AgVance", FmisLevels.Grower | FmisLevels.Farm | FmisLevels.Field),
        new(Provider.Sentera, "Sentera", "Sentera", FmisLevels.Field),
    ];

    // Leaf spells names in more than one case (CNHI, CNHi): parsing ignores case.
    private static readonly FrozenDictionary<string, Provider> ByApiName =
        Catalogue.ToFrozenDictionary(p => p.ApiName, p => p.Provider, StringComparer.OrdinalIgnoreCase);

    private static readonly ProviderInfo UnknownInfo = new(Provider.Unknown, "Unknown", "Unknown provider", FmisLevels.None);

    /// <summary>Every provider this version of the SDK knows, in the order of the <see cref="Provider"/> enum.</summary>
    public static IReadOnlyList<ProviderInfo> All { get; } = Array.AsReadOnly(Catalogue);

    /// <summary>Returns the capability metadata of <paramref name="provider"/>.</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>
    /// The provider's metadata; for <see cref="Provider.Unknown"/> (or a value outside the enum), an entry with
    /// <see cref="FmisLevels.None"/>, since nothing is known about it.
    /// </returns>
    public static ProviderInfo GetInfo(this Provider provider) =>
        IsKnown(provider) ? Catalogue[(int)provider - 1] : UnknownInfo;

    /// <summary>Parses a provider's API name, ignoring case (<c>CNHi</c> is <see cref="Provider.CNHI"/>).</summary>
    /// <param name="apiName">The name as Leaf's API spells it.</param>
    /// <param name="provider">The provider, or <see cref="Provider.Unknown"/> when the name is not known.</param>
    /// <returns><see langword="true"/> when the name is a provider this SDK knows.</returns>
    public static bool TryParse([NotNullWhen(true)] string? apiName, out Provider provider)
    {
        if (apiName is not null && ByApiName.TryGetValue(apiName, out provider))
        {
            return true;
        }

        provider = Provider.Unknown;
        return false;
    }

    internal static bool IsKnown(Provider provider) => provider > Provider.Unknown && (int)provider <= Catalogue.Length;

    internal static string ApiName(Provider provider) => Catalogue[(int)provider - 1].ApiName;
}
