using System.Net;
using Leaf.Sdk.Authentication;
using Leaf.Sdk.Http;
using Microsoft.Extensions.Options;
using O = Leaf.Sdk.LeafClientOptions;

namespace Leaf.Sdk;

/// <summary>
/// Checks <see cref="LeafClientOptions"/> and says which setting is wrong and how to fix it. Used at start-up by DI
/// (<c>ValidateOnStart</c>) and by the standalone constructor.
/// </summary>
/// <param name="registeredTokenSource">Whether an <see cref="ILeafTokenSource"/> is registered in the services.</param>
/// <param name="settingName">
/// The name a message gives a setting: its configuration path (<c>Integrations:Leaf:MaxRetries</c>) when AddLeafSdk bound
/// a section; <see langword="null"/> for <c>Leaf:MaxRetries</c>, the conventional section.
/// </param>
/// <param name="unknownKeys">What to say of the keys in the bound sections that are no setting (a typo such as AcessToken).</param>
/// <param name="scopedTokenSource">The type of the <see cref="ILeafTokenSource"/> registered as scoped, if one is.</param>
internal sealed class LeafClientOptionsValidator(
    bool registeredTokenSource,
    Func<string, string>? settingName = null,
    Func<IEnumerable<string>>? unknownKeys = null,
    string? scopedTokenSource = null) : IValidateOptions<LeafClientOptions>
{
    public ValidateOptionsResult Validate(string? name, LeafClientOptions options)
    {
        var failures = Check(options, registeredTokenSource, settingName);
        if (scopedTokenSource is not null)
        {
            // The token source belongs to the registration, a singleton: resolved from the root provider, a scoped one
            // (and the scoped services it takes, a DbContext say) would live as long as the app; where scopes are
            // validated (Development) resolving it failed instead, with a message that did not say what to do.
            failures.Insert(0, $"The ILeafTokenSource ({scopedTokenSource}) is registered as scoped, but every Leaf client of the app shares one token source, for as long as the app runs: register it with AddSingleton, and have it create a scope (IServiceScopeFactory) for what it needs on each call.");
        }

        if (failures.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        // A misspelt key is logged when the first client is built, which a refused start-up never reaches: the refusal
        // names it, since it is often the cause (AcessToken for AccessToken). By itself it refuses nothing.
        failures.AddRange(unknownKeys?.Invoke() ?? []);

        return ValidateOptionsResult.Fail(failures);
    }

    internal static void ThrowIfInvalid(LeafClientOptions options, string paramName)
    {
        var failures = Check(options, registeredTokenSource: false);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), paramName);
        }
    }

    internal static List<string> Check(LeafClientOptions options, bool registeredTokenSource, Func<string, string>? settingName = null)
    {
        var name = settingName ?? ConventionalName;

        // Values configuration held that could not be read come first, with everything else that is wrong: one start-up
        // failure lists every problem. A setting that could not be read kept its earlier value, which is not checked
        // again: a message about a value the user never wrote would only mislead.
        var failures = new List<string>();
        var unreadable = options.Unreadable ?? [];
        failures.AddRange(unreadable.Select(u => u.Message).Distinct(StringComparer.Ordinal)); // one section bound twice
        bool Read(string key) => !unreadable.Exists(u => u.Key == key);

        if (Read(nameof(LeafClientOptions.BaseAddress)))
        {
            CheckBaseAddress(options.BaseAddress, name, failures);
        }

        CheckAuthentication(options, registeredTokenSource, name, failures);
        CheckResilience(options, name, Read, failures);
        return failures;
    }

    private static string ConventionalName(string key) => LeafClientOptions.SectionName + ":" + key;

    private static void CheckBaseAddress(Uri? address, Func<string, string> name, List<string> failures)
    {
        if (address is null)
        {
            failures.Add($"{name(nameof(O.BaseAddress))} is missing: leave it unset for https://api.withleaf.io, or set an absolute https:// address.");
        }
        else if (!address.IsAbsoluteUri)
        {
            failures.Add($"{name(nameof(O.BaseAddress))} '{LeafClientOptions.Redacted(address)}' is relative: set an absolute address such as https://api.withleaf.io.");
        }
        else if (!string.IsNullOrEmpty(address.UserInfo))
        {
            // Every address is quoted redacted: a password or token in it would be in the one setting every message shows.
            failures.Add($"{name(nameof(O.BaseAddress))} '{LeafClientOptions.Redacted(address)}' carries a user name or password (user:password@host), which the SDK never sends: remove it, and authenticate with AccessToken, Username and Password, or a TokenSource.");
        }
        else if (address.Scheme == Uri.UriSchemeHttp && !IsLoopback(address))
        {
            failures.Add($"{name(nameof(O.BaseAddress))} '{LeafClientOptions.Redacted(address)}' uses plain http:// for a host that is not loopback, which would send the token unencrypted: use https://.");
        }
        else if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{name(nameof(O.BaseAddress))} '{LeafClientOptions.Redacted(address)}' must be an http:// (loopback only) or https:// address.");
        }
        else if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment))
        {
            failures.Add($"{name(nameof(O.BaseAddress))} '{LeafClientOptions.Redacted(address)}' must not carry a query or fragment: give the API root only.");
        }
        else if (EndpointRoot(address) is var (endpoint, root))
        {
            // The Sync Summary's URL as Leaf's documentation shows it, pasted whole: every call went to the path twice
            // over and ended as a 404 that blamed the leafUserId.
            failures.Add($"{name(nameof(O.BaseAddress))} '{LeafClientOptions.Redacted(address)}' ends with {endpoint}, an endpoint of Leaf's API, but the SDK adds that path itself: set the API root, {root}.");
        }
    }

    private static readonly string[] Endpoints = [LeafHttpPipeline.ResourcesPath, "/" + LeafLoginTokenSource.LoginPath];

    private static (string Endpoint, string Root)? EndpointRoot(Uri address)
    {
        var path = address.AbsolutePath.TrimEnd('/');
        foreach (var endpoint in Endpoints)
        {
            if (path.EndsWith(endpoint, StringComparison.OrdinalIgnoreCase))
            {
                return (endpoint, address.GetLeftPart(UriPartial.Authority) + path[..^endpoint.Length] + "/");
            }
        }

        return null;
    }

    private static void CheckAuthentication(LeafClientOptions options, bool registeredTokenSource, Func<string, string> name, List<string> failures)
    {
        var hasToken = !string.IsNullOrWhiteSpace(options.AccessToken);
        var hasUser = !string.IsNullOrWhiteSpace(options.Username);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        var hasSource = options.TokenSource is not null || registeredTokenSource;
        var ways = (hasToken ? 1 : 0) + (hasUser || hasPassword ? 1 : 0) + (hasSource ? 1 : 0);

        if (ways == 0)
        {
            failures.Add($"No way to authenticate is set: set {name(nameof(O.AccessToken))} to a Leaf token, or {name(nameof(O.Username))} and {name(nameof(O.Password))} so the SDK logs in, or a TokenSource of your own.");
        }
        else if (ways > 1)
        {
            // A source registered in the services is named as such: the user never set a TokenSource option.
            var source = options.TokenSource is null ? "an ILeafTokenSource registered in the services" : "TokenSource";
            var set = new[] { hasToken ? "AccessToken" : null, hasUser || hasPassword ? "Username/Password" : null, hasSource ? source : null };
            failures.Add($"More than one way to authenticate is set ({string.Join(", ", set.Where(s => s is not null))}): keep exactly one of {name(nameof(O.AccessToken))}, {name(nameof(O.Username))} with {name(nameof(O.Password))}, or a TokenSource.");
        }
        else if (hasUser != hasPassword)
        {
            failures.Add(hasUser
                ? $"{name(nameof(O.Username))} is set but {name(nameof(O.Password))} is missing: set both to let the SDK log in."
                : $"{name(nameof(O.Password))} is set but {name(nameof(O.Username))} is missing: set both to let the SDK log in.");
        }

        // Surrounding white space is trimmed when the token is sent; anything else that is not visible ASCII could never
        // be sent. Say where it is, never what the token is.
        if (hasToken && BearerTokenText.IndexOfInvalid(options.AccessToken!) is >= 0 and var invalid)
        {
            // The header value copied whole: "copy the token again" would send the user to copy the same text again.
            failures.Add(BearerTokenText.StartsWithScheme(options.AccessToken!)
                ? $"{name(nameof(O.AccessToken))} starts with the scheme \"Bearer\", which the SDK adds itself: set the token alone, without \"Bearer \"."
                : $"{name(nameof(O.AccessToken))} contains a character a bearer token cannot contain: {BearerTokenText.Describe(options.AccessToken!, invalid)}. A bearer token is visible ASCII only; copy the token again as plain text.");
        }
    }

    private static void CheckResilience(LeafClientOptions options, Func<string, string> name, Func<string, bool> read, List<string> failures)
    {
        // Numbers are quoted as configuration reads them back, whatever the app's culture (sv-SE writes -1 with U+2212).
        if (read(nameof(O.MaxRetries)) && options.MaxRetries is < 0 or > 10)
        {
            failures.Add(FormattableString.Invariant($"{name(nameof(O.MaxRetries))} is {options.MaxRetries}: use 0 (no retries) to 10."));
        }

        if (read(nameof(O.RetryBaseDelay)) && (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1)))
        {
            failures.Add(FormattableString.Invariant($"{name(nameof(O.RetryBaseDelay))} is {Shown(options.RetryBaseDelay)}: use a delay from 00:00:00 to 00:01:00."));
        }

        // Polly's time-out strategy accepts 10 ms to 24 h. The upper end is written as configuration reads it: to
        // TimeSpan.Parse "24:00:00" is 24 days.
        var attemptRead = read(nameof(O.AttemptTimeout));
        var totalRead = read(nameof(O.TotalTimeout));
        if (attemptRead && (options.AttemptTimeout < TimeSpan.FromMilliseconds(10) || options.AttemptTimeout > TimeSpan.FromHours(24)))
        {
            failures.Add(FormattableString.Invariant($"{name(nameof(O.AttemptTimeout))} is {Shown(options.AttemptTimeout)}: use a time-out from 00:00:00.010 to 1.00:00:00 (24 hours)."));
        }

        if (totalRead && (options.TotalTimeout < TimeSpan.FromMilliseconds(10) || options.TotalTimeout > TimeSpan.FromHours(24)))
        {
            failures.Add(FormattableString.Invariant($"{name(nameof(O.TotalTimeout))} is {Shown(options.TotalTimeout)}: use a time-out from 00:00:00.010 to 1.00:00:00 (24 hours)."));
        }
        else if (attemptRead && totalRead && options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add(FormattableString.Invariant($"{name(nameof(O.AttemptTimeout))} ({options.AttemptTimeout}) is longer than {name(nameof(O.TotalTimeout))} ({options.TotalTimeout}): an attempt cannot outlast the whole call; lower AttemptTimeout or raise TotalTimeout."));
        }
    }

    // Timeout.InfiniteTimeSpan is -1 ms, which TimeSpan prints as -00:00:00.0010000; the message names it.
    private static string Shown(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan ? "Timeout.InfiniteTimeSpan (no limit)" : value.ToString();

    private static bool IsLoopback(Uri address) =>
        address.IsLoopback || (IPAddress.TryParse(address.IdnHost, out var ip) && IPAddress.IsLoopback(ip));
}
