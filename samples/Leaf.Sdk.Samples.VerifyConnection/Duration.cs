using System.Globalization;

namespace LeafVerifyConnection;

/// <summary>Durations as people type them: 90m, 24h, 7d, 30s, or a TimeSpan such as 1.12:00:00.</summary>
internal static class Duration
{
    /// <summary>
    /// The positive duration <paramref name="text"/> names, or <see langword="null"/>: a bare number ("90": minutes?
    /// days?) is refused, and so is an amount too large for a <see cref="TimeSpan"/> or too small to be more than zero.
    /// </summary>
    public static TimeSpan? TryParse(string text)
    {
        if (text.Length >= 2 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            double? seconds = char.ToLowerInvariant(text[^1]) switch
            {
                's' => amount,
                'm' => amount * 60,
                'h' => amount * 3600,
                'd' => amount * 86400,
                _ => null,
            };
            if (seconds is { } s)
            {
                return s < TimeSpan.MaxValue.TotalSeconds && TimeSpan.FromSeconds(s) is var span && span > TimeSpan.Zero ? span : null;
            }
        }

        // TimeSpan's own format, as long as it says what its numbers are: "1.12:00:00", not a bare "90" (read as days).
        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero
            ? parsed
            : null;
    }
}
