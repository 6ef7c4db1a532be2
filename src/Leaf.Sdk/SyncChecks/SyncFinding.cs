namespace Leaf.Sdk;

/// <summary>One thing a sync check found about one provider of one Leaf user.</summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Code">What it is about; stable, for code and alerts.</param>
/// <param name="Provider">The provider, or <see cref="Leaf.Sdk.Provider.Unknown"/> for one this SDK does not know (and for <see cref="SyncFindingCode.NoSummaries"/>).</param>
/// <param name="ProviderName">The provider's API name as Leaf sent it (or as expected); empty for <see cref="SyncFindingCode.NoSummaries"/>.</param>
/// <param name="LeafUserId">The Leaf user, or <see langword="null"/> when the response named none.</param>
/// <param name="Message">One line for a support engineer: what is wrong, then the next step to take.</param>
public sealed record SyncFinding(
    SyncFindingSeverity Severity,
    SyncFindingCode Code,
    Provider Provider,
    string ProviderName,
    Guid? LeafUserId,
    string Message)
{
    /// <summary>The finding as one line: <c>Warning SyncStale Raven: ...</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        string.IsNullOrWhiteSpace(ProviderName) ? $"{Severity} {Code}: {Message}" : $"{Severity} {Code} {ProviderName}: {Message}";
}
