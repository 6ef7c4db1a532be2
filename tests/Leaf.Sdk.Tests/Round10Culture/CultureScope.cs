using System.Globalization;

namespace Leaf.Sdk.Tests.Round10Culture;

/// <summary>
/// Runs code under a culture (current and UI) on its own execution context, so the change never reaches the test's
/// thread or any other test: CultureInfo.CurrentCulture flows with the ExecutionContext into every await below it.
/// </summary>
internal static class CultureScope
{
    /// <summary>Cultures with rules that differ from en-US where it matters to text and parsing.</summary>
    public static readonly string[] Unusual =
    [
        "tr-TR", "az-Latn-AZ",  // dotted and dotless I
        "th-TH",                // Buddhist calendar: 2023 is 2566
        "fa-IR", "ar-SA",       // Persian and Hijri calendars, right-to-left marks around numbers
        "de-DE", "fr-FR",       // decimal comma
        "sv-SE",                // U+2212 as the minus sign
        "de-CH", "fr-CH",       // apostrophe and narrow no-break space as group separators
    ];

    public static Task<T> Under<T>(string culture, Func<T> body) => Under(culture, () => Task.FromResult(body()));

    public static Task<T> Under<T>(string culture, Func<Task<T>> body) =>
        Task.Run(() =>
        {
            var info = culture.Length == 0 ? CultureInfo.InvariantCulture : new CultureInfo(culture);
            CultureInfo.CurrentCulture = info;
            CultureInfo.CurrentUICulture = info;
            return body();
        });
}
