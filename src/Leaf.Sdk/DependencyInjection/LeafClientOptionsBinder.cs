using System.Globalization;
using Leaf.Sdk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Binds <see cref="LeafClientOptions"/> by hand: no reflection (trimming- and AOT-safe), code-only members such as
/// <see cref="LeafClientOptions.TokenSource"/> left alone, and a message naming the key for a value that does not parse.
/// </summary>
internal static class LeafClientOptionsBinder
{
    private static readonly string[] Keys =
    [
        nameof(LeafClientOptions.BaseAddress), nameof(LeafClientOptions.AccessToken), nameof(LeafClientOptions.Username),
        nameof(LeafClientOptions.Password), nameof(LeafClientOptions.RememberMe), nameof(LeafClientOptions.MaxRetries),
        nameof(LeafClientOptions.RetryBaseDelay), nameof(LeafClientOptions.AttemptTimeout), nameof(LeafClientOptions.TotalTimeout),
        nameof(LeafClientOptions.EnableCircuitBreaker),
    ];

    public static void Bind(IConfiguration configuration, LeafClientOptions options)
    {
        // AddLeafSdk(builder.Configuration) for AddLeafSdk(builder.Configuration.GetSection("Leaf")) bound nothing, and
        // the refusal then told a user who had set Leaf:AccessToken to set it.
        if (configuration is not IConfigurationSection
            && Array.TrueForAll(Keys, key => configuration[key] is null)
            && configuration.GetSection(LeafClientOptions.SectionName).GetChildren().Any())
        {
            throw new OptionsValidationException(Options.Options.DefaultName, typeof(LeafClientOptions), [
                "AddLeafSdk was given the whole configuration, and the Leaf settings are in its Leaf section: pass configuration.GetSection(\"Leaf\")."]);
        }

        // A value that cannot be read is noted, not thrown: the validator reports it with every other problem, so one
        // start-up failure lists them all instead of one per restart.
        var failures = new List<(string Key, string Message)>();
        // Blank is unset, as for every other setting: "   " was refused as a relative address.
        if (configuration[nameof(LeafClientOptions.BaseAddress)] is { } address && !string.IsNullOrWhiteSpace(address))
        {
            if (Uri.TryCreate(address, UriKind.RelativeOrAbsolute, out var uri))
            {
                options.BaseAddress = uri;
            }
            else
            {
                failures.Add((nameof(LeafClientOptions.BaseAddress), $"{PathOf(configuration, nameof(LeafClientOptions.BaseAddress))} '{LeafClientOptions.Redacted(address)}' is not an address: set an absolute https:// address."));
            }
        }

        options.AccessToken = configuration[nameof(LeafClientOptions.AccessToken)] ?? options.AccessToken;
        options.Username = configuration[nameof(LeafClientOptions.Username)] ?? options.Username;
        options.Password = configuration[nameof(LeafClientOptions.Password)] ?? options.Password;
        options.RememberMe = Read(configuration, nameof(LeafClientOptions.RememberMe), options.RememberMe, bool.TryParse, "true or false", failures);
        options.MaxRetries = Read(configuration, nameof(LeafClientOptions.MaxRetries), options.MaxRetries, TryParseInt, "a whole number", failures);
        options.RetryBaseDelay = ReadTimeSpan(configuration, nameof(LeafClientOptions.RetryBaseDelay), options.RetryBaseDelay, "a time span such as 00:00:01", failures);
        options.AttemptTimeout = ReadTimeSpan(configuration, nameof(LeafClientOptions.AttemptTimeout), options.AttemptTimeout, "a time span such as 00:00:10", failures);
        options.TotalTimeout = ReadTimeSpan(configuration, nameof(LeafClientOptions.TotalTimeout), options.TotalTimeout, "a time span such as 00:01:00", failures);
        options.EnableCircuitBreaker = Read(configuration, nameof(LeafClientOptions.EnableCircuitBreaker), options.EnableCircuitBreaker, bool.TryParse, "true or false", failures);

        if (failures.Count > 0)
        {
            (options.Unreadable ??= []).AddRange(failures);
        }
    }

    /// <summary>
    /// How start-up messages name a setting: by its path in the configuration AddLeafSdk bound (Integrations:Leaf:MaxRetries
    /// for AddLeafSdk(configuration.GetSection("Integrations:Leaf"))), the one of several that holds it, else the first;
    /// <see langword="null"/> when options were set in code only, for the conventional Leaf:MaxRetries.
    /// </summary>
    public static Func<string, string>? SettingName(IConfiguration[] bound) =>
        bound.Length == 0 ? null : key => PathOf(Array.FindLast(bound, c => c[key] is not null) ?? bound[0], key);

    private static string PathOf(IConfiguration configuration, string key) =>
        configuration is IConfigurationSection section ? ConfigurationPath.Combine(section.Path, key) : key;

    /// <summary>
    /// The keys of a Leaf section the binder does not read (a typo such as MaxRetry), with their paths. As with
    /// Microsoft's binder they are no error; the SDK logs them. A whole configuration holds other sections: not listed.
    /// </summary>
    public static IEnumerable<string> UnknownKeys(IConfiguration configuration) =>
        UnknownChildren(configuration).Select(child => child.Path);

    /// <summary>
    /// What a refused start-up says of each key <see cref="UnknownKeys"/> lists, never its value. A key holding Leaf
    /// settings of its own (AddLeafSdk(configuration.GetSection("Integrations")) for its Leaf section) is the section to bind.
    /// </summary>
    public static IEnumerable<string> UnknownKeyNotes(IConfiguration configuration) =>
        UnknownChildren(configuration).Select(child => Array.Exists(Keys, key => child[key] is not null)
            ? $"{child.Path} holds Leaf settings, but AddLeafSdk was given {ConfigurationPath.GetParentPath(child.Path)}: pass configuration.GetSection(\"{child.Path}\")."
            : $"{child.Path} is not a setting of LeafClientOptions, so its value was ignored: check its spelling. The settings are {KnownKeys}.");

    private static IEnumerable<IConfigurationSection> UnknownChildren(IConfiguration configuration) =>
        configuration is IConfigurationSection
            ? configuration.GetChildren().Where(child => !Keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            : [];

    public static string KnownKeys => string.Join(", ", Keys);

    private delegate bool TryParse<T>(string text, out T value);

    private static T Read<T>(IConfiguration configuration, string key, T current, TryParse<T> parse, string expected, List<(string Key, string Message)> failures)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return current;
        }

        if (parse(text.Trim(), out var value))
        {
            return value;
        }

        failures.Add((key, $"{PathOf(configuration, key)} '{text}' is not {expected}."));
        return current;
    }

    // TimeSpan.Parse, and Microsoft's ConfigurationBinder with it, reads a bare number as days: "TotalTimeout": "1" was a
    // 24-hour time-out, accepted without a word. Every setting here is seconds to minutes, so a bare number other than
    // 0 (zero in any unit) is a mistake; the message shows what to write.
    private static TimeSpan ReadTimeSpan(IConfiguration configuration, string key, TimeSpan current, string expected, List<(string Key, string Message)> failures)
    {
        var text = configuration[key];
        if (text is not null && TryParseInt(text.Trim(), out var number) && number != 0)
        {
            failures.Add((key, string.Create(CultureInfo.InvariantCulture, $"{PathOf(configuration, key)} '{text}' is a bare number, which .NET reads as {number} days: write hours:minutes:seconds, such as {TimeSpan.FromSeconds(number):c} for {number} {(number is 1 or -1 ? "second" : "seconds")}.")));
            return current;
        }

        return Read(configuration, key, current, TryParseTimeSpan, expected, failures);
    }

    private static bool TryParseInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static bool TryParseTimeSpan(string text, out TimeSpan value) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
}
