using System.Text;
using System.Text.RegularExpressions;

namespace Leaf.Sdk.Diagnostics;

/// <summary>Makes server text safe to show: short, one line, with anything that looks like a token removed.</summary>
internal static partial class Redaction
{
    internal const int ExcerptLength = 200;
    internal const string Redacted = "[redacted]";

    /// <summary>The start of a body as one short line, or <see langword="null"/> when it is empty.</summary>
    public static string? Excerpt(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, ExcerptLength * 4)]);
        var oneLine = WhiteSpace().Replace(text, " ").Trim();
        var safe = Secrets().Replace(oneLine, Redacted);
        if (safe.Length == 0)
        {
            return null;
        }

        return safe.Length <= ExcerptLength ? safe : string.Concat(safe.AsSpan(0, ExcerptLength), "…");
    }

    /// <summary>Removes JWTs, bearer credentials and password fields from <paramref name="text"/>.</summary>
    public static string Scrub(string text) => Secrets().Replace(text, Redacted);

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    // A JWT (three base64url parts, the first starting with '{"' encoded), a bearer credential, or a JSON
    // "password"/"id_token" value.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]*)?|(?<=Bearer\s+)[^\s""',;]+|(?<=""(password|id_token|access_token|token)""\s*:\s*"")[^""]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();
}
