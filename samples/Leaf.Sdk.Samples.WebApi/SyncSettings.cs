using System.Globalization;
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

    /// <summary>
    /// Binds <paramref name="section"/> and refuses what the checks could never use, so a typo stops the app at start-up
    /// instead of leaving /health Unhealthy (or checking every user) for as long as it runs.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is not a Leaf user id, a known provider or a count.</exception>
    public static SyncSettings From(IConfigurationSection section)
    {
        var settings = section.Get<SyncSettings>() ?? new SyncSettings();

        // The binder drops a list entry it cannot convert without a word ("abc" as a user id, "Deere" as a provider):
        // binding each entry on its own throws, naming the key and the value.
        foreach (var entry in section.GetSection(nameof(HealthLeafUserIds)).GetChildren())
        {
            if (entry.Get<Guid>() == Guid.Empty)
            {
                throw new InvalidOperationException($"{entry.Path} is {Guid.Empty}, which names no Leaf user.");
            }
        }

        foreach (var entry in section.GetSection(nameof(ExpectedProviders)).GetChildren())
        {
            var provider = entry.Get<Provider>();
            if (!Providers.All.Any(p => p.Provider == provider))
            {
                throw new InvalidOperationException(
                    $"{entry.Path} is '{entry.Value}', which is not a known provider. Known: {string.Join(", ", Providers.All.Select(p => p.Provider))}.");
            }
        }

        if (settings.MinimumFields < 0)
        {
            // Invariant: the culture's minus (U+2212 under sv-SE, with a right-to-left mark under ar-SA) is not what was written.
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{section.Path}:{nameof(MinimumFields)} is {settings.MinimumFields}: use 0 or more."));
        }

        // TimeSpan.Parse, and so the binder, reads a bare number as days: "6" meant as 6 hours was 6 days, and a sync
        // that stopped went unreported for a week. Refused as the SDK refuses one in the Leaf section.
        if (section[nameof(MaxSyncAge)] is { } age
            && int.TryParse(age.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var days)
            && days != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{section.Path}:{nameof(MaxSyncAge)} is '{age}', a bare number, which .NET reads as {days} days: write days.hours:minutes:seconds, such as 06:00:00 for 6 hours or 1.00:00:00 for a day."));
        }

        if (settings.MaxSyncAge <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{section.Path}:{nameof(MaxSyncAge)} is {settings.MaxSyncAge}: use a positive duration such as 1.00:00:00 (a day).");
        }

        return settings;
    }

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
