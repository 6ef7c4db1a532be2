using System.Globalization;
using System.Runtime.CompilerServices;

namespace Leaf.Sdk;

/// <summary>
/// What a Leaf user's sync should look like: the providers that should be connected, the smallest counts that make
/// sense, and how old the last sync may be. Everything is optional; by default only the sync's age is expected (24 hours).
/// </summary>
/// <example>
/// <code>
/// var expectations = new SyncExpectations
/// {
///     ExpectedProviders = { Provider.JohnDeere, Provider.ClimateFieldView },
///     MinimumFields = 10,
///     MaxSyncAge = TimeSpan.FromHours(6),
/// }.RequireAtLeast(Provider.JohnDeere, FmisLevels.Grower, 2);
/// </code>
/// </example>
public sealed class SyncExpectations
{
    /// <summary>The default of <see cref="MaxSyncAge"/>: 24 hours.</summary>
    public static readonly TimeSpan DefaultMaxSyncAge = TimeSpan.FromHours(24);

    private readonly Dictionary<(Provider Provider, FmisLevels Level), int> _perProvider = [];
    private TimeSpan _maxSyncAge = DefaultMaxSyncAge;
    private int? _minimumGrowers;
    private int? _minimumFarms;
    private int? _minimumFields;

    /// <summary>Providers that must have a summary for the Leaf user; a missing one is an error. Empty by default.</summary>
    public ICollection<Provider> ExpectedProviders { get; } = new HashSet<Provider>();

    /// <summary>The oldest a last sync may be before it is reported as stale. Defaults to 24 hours.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan MaxSyncAge
    {
        get => _maxSyncAge;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _maxSyncAge = value;
        }
    }

    /// <summary>The fewest growers each provider that has a grower level should report, or <see langword="null"/> for no minimum.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int? MinimumGrowers
    {
        get => _minimumGrowers;
        set => _minimumGrowers = NotNegative(value);
    }

    /// <summary>The fewest farms each provider that has a farm level should report, or <see langword="null"/> for no minimum.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int? MinimumFarms
    {
        get => _minimumFarms;
        set => _minimumFarms = NotNegative(value);
    }

    /// <summary>The fewest fields each provider should report, or <see langword="null"/> for no minimum.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int? MinimumFields
    {
        get => _minimumFields;
        set => _minimumFields = NotNegative(value);
    }

    /// <summary>Sets a minimum for one provider and level, overriding <see cref="MinimumGrowers"/>, <see cref="MinimumFarms"/> or <see cref="MinimumFields"/> for it.</summary>
    /// <param name="provider">A known provider.</param>
    /// <param name="level">Exactly one of <see cref="FmisLevels.Grower"/>, <see cref="FmisLevels.Farm"/> or <see cref="FmisLevels.Field"/>, and one the provider exposes.</param>
    /// <param name="count">The fewest the provider should report; not negative.</param>
    /// <returns>This instance, to chain calls.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="provider"/> is not a known provider (<see cref="Provider.Unknown"/>, or a value outside the enum);
    /// <paramref name="level"/> is not exactly one level, or is one the provider does not expose; or
    /// <paramref name="count"/> is negative. <see cref="ArgumentException.ParamName"/> names which.
    /// </exception>
    public SyncExpectations RequireAtLeast(Provider provider, FmisLevels level, int count)
    {
        if (!Providers.IsKnown(provider))
        {
            throw new ArgumentOutOfRangeException(nameof(provider), provider, "Pass a known provider; Unknown has no levels to check.");
        }

        SingleLevel.ThrowIfNotOne(level);
        var info = provider.GetInfo();
        if (!info.Exposes(level))
        {
            // The checks skip a level the provider lacks, so this minimum would silently never be checked.
            throw new ArgumentOutOfRangeException(
                nameof(level), level, $"{info.DisplayName} has no {level.ToString().ToLowerInvariant()} level in Leaf's FMIS table, so a minimum there would never be checked; see Providers.GetInfo(provider).Levels.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _perProvider[(provider, level)] = count;
        return this;
    }

    /// <summary>The minimum that applies to <paramref name="provider"/> at <paramref name="level"/>.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="level">Exactly one level.</param>
    /// <returns>The minimum, or <see langword="null"/> when none applies.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not exactly one level.</exception>
    public int? MinimumFor(Provider provider, FmisLevels level)
    {
        SingleLevel.ThrowIfNotOne(level);
        if (_perProvider.TryGetValue((provider, level), out var count))
        {
            return count;
        }

        return GeneralMinimum(level);
    }

    /// <summary>
    /// What is expected, in one line for a log or a health check's description, e.g. <c>Expect a sync within 6 h;
    /// providers John Deere, Climate FieldView; at least 10 fields; John Deere at least 2 growers</c>.
    /// </summary>
    /// <returns>The expectations, providers in the order of <see cref="Provider"/> whatever order they were added in.</returns>
    public override string ToString()
    {
        var parts = new List<string> { "Expect a sync within " + SyncChecks.Describe(MaxSyncAge) };
        if (ExpectedProviders.Count > 0)
        {
            parts.Add("providers " + string.Join(", ", ExpectedProviders.Order().Select(Name)));
        }

        if (AtLeast(GeneralMinimum) is { } general)
        {
            parts.Add(general);
        }

        foreach (var provider in _perProvider.Keys.Select(k => k.Provider).Distinct().Order())
        {
            parts.Add(Name(provider) + " " + AtLeast(level => _perProvider.TryGetValue((provider, level), out var count) ? count : null));
        }

        return string.Join("; ", parts);

        // ExpectedProviders takes any value, Unknown and numbers outside the enum included: they are refused only when checked.
        static string Name(Provider provider) =>
            Providers.IsKnown(provider) ? provider.GetInfo().DisplayName : provider.ToString();

        static string? AtLeast(Func<FmisLevels, int?> minimum)
        {
            var counts = new List<string>();
            foreach (var level in (ReadOnlySpan<FmisLevels>)[FmisLevels.Grower, FmisLevels.Farm, FmisLevels.Field])
            {
                if (minimum(level) is { } n)
                {
                    counts.Add(string.Create(CultureInfo.InvariantCulture, $"{n} {level.ToString().ToLowerInvariant()}{(n == 1 ? "" : "s")}"));
                }
            }

            return counts.Count == 0 ? null : "at least " + string.Join(", ", counts);
        }
    }

    // The minimum every provider gets at a level unless RequireAtLeast set one of its own.
    private int? GeneralMinimum(FmisLevels level) => level switch
    {
        FmisLevels.Grower => MinimumGrowers,
        FmisLevels.Farm => MinimumFarms,
        _ => MinimumFields,
    };

    // RequireAtLeast refuses a negative count; a negative general minimum was taken and silently checked nothing.
    private static int? NotNegative(int? value, [CallerMemberName] string? name = null)
    {
        if (value is { } count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, name);
        }

        return value;
    }
}
