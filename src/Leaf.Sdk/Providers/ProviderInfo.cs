namespace Leaf.Sdk;

/// <summary>
/// Capability metadata for one provider: the name Leaf's API uses, a name for people, and the FMIS levels it exposes.
/// </summary>
/// <param name="Provider">The provider.</param>
/// <param name="ApiName">The provider's name in Leaf's API, as sent in the <c>provider</c> query parameter.</param>
/// <param name="DisplayName">A name to show to people, e.g. <c>Climate FieldView</c>.</param>
/// <param name="Levels">The FMIS levels the provider exposes (Leaf's "FMIS structure by provider" table).</param>
public sealed record ProviderInfo(Provider Provider, string ApiName, string DisplayName, FmisLevels Levels)
{
    /// <summary>Whether the provider exposes <paramref name="level"/> (every flag in it, when several are given).</summary>
    /// <param name="level">The level or levels to test.</param>
    /// <returns>
    /// <see langword="true"/> when every requested level is exposed; <see langword="false"/> for <see cref="FmisLevels.None"/>,
    /// which asks about no level.
    /// </returns>
    public bool Exposes(FmisLevels level) => level != FmisLevels.None && (Levels & level) == level;
}
