using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace Leaf.Sdk.Diagnostics;

/// <summary>Makes server text safe to show: short, one line, with anything that looks like a token removed.</summary>
internal static partial class Redaction
{
    internal const int ExcerptLength = 200;
    internal const string Redacted = "[redacted]";

    /// <summary>
    /// The start of a body as one short line, or <see langword="null"/> when it is empty, with <paramref name="secrets"/>
    /// (the token that was sent, the configured password) and anything that looks like a token removed.
    /// </summary>
    public static string? Excerpt(ReadOnlySpan<byte> body, params ReadOnlySpan<string?> secrets)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, ExcerptLength * 4)]);
        var oneLine = WhiteSpace().Replace(text, " ").Trim();
        var safe = Scrub(oneLine, secrets);
        if (safe.Length == 0)
        {
            return null;
        }

        return safe.Length <= ExcerptLength ? safe : string.Concat(safe.AsSpan(0, ExcerptLength), "…");
    }

    /// <summary>Removes <paramref name="secrets"/>, JWTs, bearer credentials and password fields from <paramref name="text"/>.</summary>
    public static string Scrub(string text, params ReadOnlySpan<string?> secrets)
    {
        // A server may echo the token it rejected without a "Bearer" prefix; only the value itself identifies it.
        foreach (var secret in secrets)
        {
            if (secret is { Length: >= MinSecretLength })
            {
                text = text.Replace(secret, Redacted, StringComparison.Ordinal);
            }
        }

        return Secrets().Replace(text, Redacted);
    }

    /// <summary>Scrubs every text member of Leaf's problem body, which users log and show as freely as the message.</summary>
    [return: NotNullIfNotNull(nameof(problem))]
    public static LeafProblem? Scrub(LeafProblem? problem, params ReadOnlySpan<string?> secrets) => problem is null ? null : problem with
    {
        Type = ScrubOrNull(problem.Type, secrets),
        Title = ScrubOrNull(problem.Title, secrets),
        Detail = ScrubOrNull(problem.Detail, secrets),
        Path = ScrubOrNull(problem.Path, secrets),
        Message = ScrubOrNull(problem.Message, secrets),
        ErrorKey = ScrubOrNull(problem.ErrorKey, secrets),
    };

    private static string? ScrubOrNull(string? text, ReadOnlySpan<string?> secrets) => text is null ? null : Scrub(text, secrets);

    // Shorter values are too likely to occur in ordinary text to be replaced blindly; real tokens are far longer.
    private const int MinSecretLength = 8;

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    // A JWT (three base64url parts, the first starting with '{"' encoded), a bearer credential, or a JSON
    // "password"/"id_token" value.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]*)?|(?<=Bearer\s+)[^\s""',;]+|(?<=""(password|id_token|access_token|token)""\s*:\s*"")[^""]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();
}
