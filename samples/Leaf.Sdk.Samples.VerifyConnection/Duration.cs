using System.Globalization;

namespace LeafVerifyConnection;

/// <summary>Durations as people type them: 90m, 24h, 7d, 30s, or a TimeSpan such as 1.12:00:00.</summary>
internal static class Duration
{
    public static TimeSpan? TryParse(string text)
    {
        if (text.Length >= 2 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is not null)
            {
                return span;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero ? parsed : null;
    }
}
