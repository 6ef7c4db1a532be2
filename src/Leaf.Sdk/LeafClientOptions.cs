using System.Globalization;

namespace Leaf.Sdk;

/// <summary>
/// Settings of an <see cref="IntegrationsClient"/>. Bindable from the configuration section <c>Leaf</c>.
/// </summary>
/// <remarks>
/// Authenticate in exactly one way: <see cref="AccessToken"/>, or <see cref="Username"/> and <see cref="Password"/>,
/// or <see cref="TokenSource"/>. <see cref="ToString"/> never shows the token or the password.
/// </remarks>
public sealed class LeafClientOptions
{
    /// <summary>The name of the configuration section that <c>AddLeafSdk</c> users conventionally bind: <c>Leaf</c>.</summary>
    public const string SectionName = "Leaf";

    /// <summary>Leaf's API root, <c>https://api.withleaf.io</c>.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.withleaf.io");

    /// <summary>
    /// The API root. Defaults to <see cref="DefaultBaseAddress"/>. Must be an absolute <c>https://</c> address with no user
    /// name or password (<c>user:password@</c>) and no query or fragment; <c>http://</c> is accepted only for a loopback
    /// host (a local fake server). The root only: an address ending with an endpoint's path (the Sync Summary's URL as
    /// Leaf's documentation shows it) is refused, since the SDK adds that path itself. A gateway's root with a path of its
    /// own is fine.
    /// </summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>A Leaf token you already have. Sent as <c>Authorization: Bearer</c> to <see cref="BaseAddress"/> only.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The Leaf API owner's username: the SDK logs in at <c>/api/authenticate</c> and renews the token itself.</summary>
    public string? Username { get; set; }

    /// <summary>The password that goes with <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Ask Leaf for a 30-day token instead of a 24-hour one when logging in. Defaults to <see langword="true"/>.</summary>
    public bool RememberMe { get; set; } = true;

    /// <summary>
    /// A token source of your own (a vault, another service). Set in code, or register an <see cref="ILeafTokenSource"/>
    /// in the service collection; not bindable from configuration.
    /// </summary>
    public ILeafTokenSource? TokenSource { get; set; }

    /// <summary>
    /// How many times a failed attempt is retried (network errors, time-outs, 408, 429, 500, 502, 503, 504; not a server
    /// certificate .NET refused, nor a proxy's 407). Defaults to 3; 0 turns retries off; at most 10.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first back-off delay; later ones grow exponentially, with jitter. Defaults to 1 second; at most 1 minute.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest one HTTP attempt may take, headers and body. Defaults to 10 seconds; from 10 ms to 24 hours, and no
    /// longer than <see cref="TotalTimeout"/>.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one call may take, all attempts and back-off waits included. Defaults to 60 seconds; from 10 ms to 24 hours.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Stop calling Leaf for a while when most recent attempts failed, failing fast instead. Defaults to <see langword="true"/>.
    /// </summary>
    public bool EnableCircuitBreaker { get; set; } = true;

    /// <summary>Describes the options with every secret redacted.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"LeafClientOptions {{ BaseAddress = {Redacted(BaseAddress)}, Authentication = {DescribeAuthentication()}, RememberMe = {RememberMe}, MaxRetries = {MaxRetries}, RetryBaseDelay = {RetryBaseDelay}, AttemptTimeout = {AttemptTimeout}, TotalTimeout = {TotalTimeout}, EnableCircuitBreaker = {EnableCircuitBreaker} }}");

    private string DescribeAuthentication()
    {
        if (TokenSource is not null)
        {
            return "custom token source";
        }

        if (!string.IsNullOrEmpty(AccessToken))
        {
            return "access token (redacted)";
        }

        return string.IsNullOrEmpty(Username) ? "none" : $"login as {Username} (password redacted)";
    }

    /// <summary>
    /// The settings configuration held that could not be read, each with its message. The binder notes them instead of
    /// throwing, so the validator reports them together with every other problem in one start-up failure.
    /// </summary>
    internal List<(string Key, string Message)>? Unreadable { get; set; }

    internal LeafClientOptions Clone() => (LeafClientOptions)MemberwiseClone();

    /// <summary>
    /// The address as it may be shown: without a user name and password (user:password@), and with what a query or
    /// fragment holds (?access_token=...) replaced by "(redacted)". An address that is relative, not http(s) or not an
    /// address at all is shown as text, with anything before an '@' (a password, when the scheme was left out) redacted.
    /// </summary>
    internal static string? Redacted(Uri? address)
    {
        if (address is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            return address is null ? null : Redacted(address.OriginalString);
        }

        var shown = address.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return shown
            + (address.Query.Length > 0 ? "?(redacted)" : string.Empty)
            + (address.Fragment.Length > 0 ? "#(redacted)" : string.Empty);
    }

    /// <inheritdoc cref="Redacted(Uri?)"/>
    internal static string Redacted(string text)
    {
        var end = text.AsSpan().IndexOfAny('?', '#');
        var shown = end < 0 ? text : text[..end] + (text[end] == '?' ? "?(redacted)" : "#(redacted)");
        var at = shown.LastIndexOf('@');
        if (at < 0)
        {
            return shown;
        }

        var authority = shown.IndexOf("//", StringComparison.Ordinal);
        var start = authority >= 0 && authority < at ? authority + 2 : 0;
        return string.Concat(shown.AsSpan(0, start), "(redacted)", shown.AsSpan(at));
    }
}
