using System.Net;
using Leaf.Sdk.Authentication;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk;

/// <summary>
/// Checks <see cref="LeafClientOptions"/> and says which setting is wrong and how to fix it. Used at start-up by DI
/// (<c>ValidateOnStart</c>) and by the standalone constructor.
/// </summary>
internal sealed class LeafClientOptionsValidator(bool registeredTokenSource) : IValidateOptions<LeafClientOptions>
{
    public ValidateOptionsResult Validate(string? name, LeafClientOptions options)
    {
        var failures = Check(options, registeredTokenSource);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void ThrowIfInvalid(LeafClientOptions options, string paramName)
    {
        var failures = Check(options, registeredTokenSource: false);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), paramName);
        }
    }

    internal static List<string> Check(LeafClientOptions options, bool registeredTokenSource)
    {
        var failures = new List<string>();
        CheckBaseAddress(options.BaseAddress, failures);
        CheckAuthentication(options, registeredTokenSource, failures);
        CheckResilience(options, failures);
        return failures;
    }

    private static void CheckBaseAddress(Uri? address, List<string> failures)
    {
        if (address is null)
        {
            failures.Add("Leaf:BaseAddress is missing: leave it unset for https://api.withleaf.io, or set an absolute https:// address.");
        }
        else if (!address.IsAbsoluteUri)
        {
            failures.Add($"Leaf:BaseAddress '{LeafClientOptions.Redacted(address)}' is relative: set an absolute address such as https://api.withleaf.io.");
        }
        else if (!string.IsNullOrEmpty(address.UserInfo))
        {
            // Every address is quoted redacted: a password or token in it would be in the one setting every message shows.
            failures.Add($"Leaf:BaseAddress '{LeafClientOptions.Redacted(address)}' carries a user name or password (user:password@host), which the SDK never sends: remove it, and authenticate with AccessToken, Username and Password, or a TokenSource.");
        }
        else if (address.Scheme == Uri.UriSchemeHttp && !IsLoopback(address))
        {
            failures.Add($"Leaf:BaseAddress '{LeafClientOptions.Redacted(address)}' uses plain http:// for a host that is not loopback, which would send the token unencrypted: use https://.");
        }
        else if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"Leaf:BaseAddress '{LeafClientOptions.Redacted(address)}' must be an http:// (loopback only) or https:// address.");
        }
        else if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment))
        {
            failures.Add($"Leaf:BaseAddress '{LeafClientOptions.Redacted(address)}' must not carry a query or fragment: give the API root only.");
        }
    }

    private static void CheckAuthentication(LeafClientOptions options, bool registeredTokenSource, List<string> failures)
    {
        var hasToken = !string.IsNullOrWhiteSpace(options.AccessToken);
        var hasUser = !string.IsNullOrWhiteSpace(options.Username);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        var hasSource = options.TokenSource is not null || registeredTokenSource;
        var ways = (hasToken ? 1 : 0) + (hasUser || hasPassword ? 1 : 0) + (hasSource ? 1 : 0);

        if (ways == 0)
        {
            failures.Add("No way to authenticate is set: set Leaf:AccessToken to a Leaf token, or Leaf:Username and Leaf:Password so the SDK logs in, or a TokenSource of your own.");
        }
        else if (ways > 1)
        {
            // A source registered in the services is named as such: the user never set a TokenSource option.
            var source = options.TokenSource is null ? "an ILeafTokenSource registered in the services" : "TokenSource";
            var set = new[] { hasToken ? "AccessToken" : null, hasUser || hasPassword ? "Username/Password" : null, hasSource ? source : null };
            failures.Add($"More than one way to authenticate is set ({string.Join(", ", set.Where(s => s is not null))}): keep exactly one of Leaf:AccessToken, Leaf:Username with Leaf:Password, or a TokenSource.");
        }
        else if (hasUser != hasPassword)
        {
            failures.Add(hasUser
                ? "Leaf:Username is set but Leaf:Password is missing: set both to let the SDK log in."
                : "Leaf:Password is set but Leaf:Username is missing: set both to let the SDK log in.");
        }

        // Surrounding white space is trimmed when the token is sent; anything else that is not visible ASCII could never
        // be sent. Say where it is, never what the token is.
        if (hasToken && BearerTokenText.IndexOfInvalid(options.AccessToken!) is >= 0 and var invalid)
        {
            failures.Add($"Leaf:AccessToken contains a character a bearer token cannot contain: {BearerTokenText.Describe(options.AccessToken!, invalid)}. A bearer token is visible ASCII only; copy the token again as plain text.");
        }
    }

    private static void CheckResilience(LeafClientOptions options, List<string> failures)
    {
        // Numbers are quoted as configuration reads them back, whatever the app's culture (sv-SE writes -1 with U+2212).
        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add(FormattableString.Invariant($"Leaf:MaxRetries is {options.MaxRetries}: use 0 (no retries) to 10."));
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add(FormattableString.Invariant($"Leaf:RetryBaseDelay is {options.RetryBaseDelay}: use a delay from 00:00:00 to 00:01:00."));
        }

        // Polly's time-out strategy accepts 10 ms to 24 h. The upper end is written as configuration reads it: to
        // TimeSpan.Parse "24:00:00" is 24 days.
        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(10) || options.AttemptTimeout > TimeSpan.FromHours(24))
        {
            failures.Add(FormattableString.Invariant($"Leaf:AttemptTimeout is {options.AttemptTimeout}: use a time-out from 00:00:00.010 to 1.00:00:00 (24 hours)."));
        }

        if (options.TotalTimeout < TimeSpan.FromMilliseconds(10) || options.TotalTimeout > TimeSpan.FromHours(24))
        {
            failures.Add(FormattableString.Invariant($"Leaf:TotalTimeout is {options.TotalTimeout}: use a time-out from 00:00:00.010 to 1.00:00:00 (24 hours)."));
        }
        else if (options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add(FormattableString.Invariant($"Leaf:AttemptTimeout ({options.AttemptTimeout}) is longer than Leaf:TotalTimeout ({options.TotalTimeout}): an attempt cannot outlast the whole call; lower AttemptTimeout or raise TotalTimeout."));
        }
    }

    private static bool IsLoopback(Uri address) =>
        address.IsLoopback || (IPAddress.TryParse(address.IdnHost, out var ip) && IPAddress.IsLoopback(ip));
}
