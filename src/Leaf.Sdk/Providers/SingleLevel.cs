namespace Leaf.Sdk;

/// <summary>The one rule for a parameter that names a single FMIS level (grower, farm or field), not a combination.</summary>
internal static class SingleLevel
{
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not exactly one level.</exception>
    public static void ThrowIfNotOne(FmisLevels level)
    {
        if (level is not (FmisLevels.Grower or FmisLevels.Farm or FmisLevels.Field))
        {
            throw NotOne(level);
        }
    }

    /// <summary>The exception for a <paramref name="level"/> that is not exactly one level.</summary>
    public static ArgumentOutOfRangeException NotOne(FmisLevels level) =>
        new(nameof(level), level, "Pass exactly one level: Grower, Farm or Field.");
}
