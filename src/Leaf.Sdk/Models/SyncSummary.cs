using System.Globalization;
using System.Text;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk;

/// <summary>
/// What synced for one Leaf user from one provider: how many growers, farms and fields, and when.
/// </summary>
/// <remarks>
/// A level the provider does not expose (Climate FieldView has no growers, for example) is absent from Leaf's
/// response and is <see langword="null"/> here: <see langword="null"/> means "not reported", not zero.
/// <see cref="SyncComparison.Cell(SyncSummary, FmisLevels)"/> tells a level the provider lacks from one Leaf left out.
/// </remarks>
public sealed record SyncSummary
{
    /// <summary>The provider, or <see cref="Leaf.Sdk.Provider.Unknown"/> for a provider this SDK version does not know.</summary>
    public Provider Provider { get; init; }

    /// <summary>
    /// The provider's name exactly as Leaf's API returned it; always kept, also for unknown providers. Empty, never
    /// <see langword="null"/>, when there is no name: set to <see langword="null"/> (or read as JSON <c>null</c>), it is empty.
    /// </summary>
    // Coerced, not refused: System.Text.Json sets "providerName": null as it is, and the sync checks then failed with a
    // NullReferenceException on a member annotated non-null.
    public string ProviderName { get; init => field = value ?? string.Empty; } = string.Empty;

    /// <summary>
    /// The Leaf user the summary is for; <see cref="Guid.Empty"/> when Leaf's summary named none (the sync checks then
    /// report its findings without a user).
    /// </summary>
    public Guid LeafUserId { get; init; }

    /// <summary>The number of growers synced, or <see langword="null"/> when Leaf did not report it, as for a provider with no grower level.</summary>
    public int? Growers { get; init; }

    /// <summary>The number of farms synced, or <see langword="null"/> when Leaf did not report it, as for a provider with no farm level.</summary>
    public int? Farms { get; init; }

    /// <summary>The number of fields synced, or <see langword="null"/> when Leaf did not report it.</summary>
    public int? Fields { get; init; }

    /// <summary>When the counts were taken (UTC), or <see langword="null"/> when Leaf did not say (responses before August 2023).</summary>
    public DateTimeOffset? SyncReferenceTime { get; init; }

    /// <summary>The count at <paramref name="level"/>, or <see langword="null"/> when it was not reported.</summary>
    /// <param name="level">Exactly one of <see cref="FmisLevels.Grower"/>, <see cref="FmisLevels.Farm"/> or <see cref="FmisLevels.Field"/>.</param>
    /// <returns>The count, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not exactly one level.</exception>
    public int? CountAt(FmisLevels level) => level switch
    {
        FmisLevels.Grower => Growers,
        FmisLevels.Farm => Farms,
        FmisLevels.Field => Fields,
        _ => throw SingleLevel.NotOne(level),
    };

    // The generated ToString printed SyncReferenceTime in the current culture's calendar (2566 under th-TH, a Hijri
    // date under ar-SA) and to the second only, so two summaries a microsecond apart looked the same in an assertion
    // message: the time is printed as Leaf sends it, in UTC to the last digit, and everything else invariantly.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(
            CultureInfo.InvariantCulture,
            $"Provider = {Provider}, ProviderName = {ProviderName}, LeafUserId = {LeafUserId}, Growers = {Growers}, Farms = {Farms}, Fields = {Fields}, SyncReferenceTime = {SyncReferenceTime?.UtcDateTime.ToString(SyncSummaryConverter.TimestampFormat, CultureInfo.InvariantCulture)}");
        return true;
    }
}
