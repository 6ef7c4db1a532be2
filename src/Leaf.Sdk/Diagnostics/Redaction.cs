using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
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
    /// <param name="body">The body, or as much of its start as was read.</param>
    /// <param name="cutShort">
    /// Whether <paramref name="body"/> may end before the body did (it was read up to a cap): then a secret may be cut
    /// off at its end, and a trailing piece that begins one is removed too.
    /// </param>
    /// <param name="secrets">Values to remove wherever they occur: as they are, and as JSON would escape them.</param>
    public static string? Excerpt(ReadOnlySpan<byte> body, bool cutShort, params ReadOnlySpan<string?> secrets)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        // The secrets are searched for in all the text there is, before anything changes it: cutting it first could cut
        // a secret in two, and collapsing white space first would change a password that has a run of it.
        var forms = FormsOf(secrets);
        var text = cutShort ? WithoutCutOffSecret(DecodeWholeCharacters(body), forms) : Encoding.UTF8.GetString(body);
        var oneLine = WhiteSpace().Replace(ScrubForms(text, forms), " ").Trim();
        if (oneLine.Length == 0)
        {
            return null;
        }

        return oneLine.Length <= ExcerptLength ? oneLine : string.Concat(oneLine.AsSpan(0, ExcerptLength), "…");
    }

    /// <summary>Removes <paramref name="secrets"/>, JWTs, bearer credentials and password fields from <paramref name="text"/>.</summary>
    public static string Scrub(string text, params ReadOnlySpan<string?> secrets) => ScrubForms(text, FormsOf(secrets));

    /// <summary>
    /// <see cref="Scrub(string, ReadOnlySpan{string?})"/> for a text that may end inside a secret (it was cut where a
    /// buffer ended): a trailing piece that begins one is removed too.
    /// </summary>
    public static string ScrubCutShort(string text, params ReadOnlySpan<string?> secrets)
    {
        var forms = FormsOf(secrets);
        return ScrubForms(WithoutCutOffSecret(text, forms), forms);
    }

    /// <summary>Scrubs every text member of Leaf's problem body, which users log and show as freely as the message.</summary>
    [return: NotNullIfNotNull(nameof(problem))]
    public static LeafProblem? Scrub(LeafProblem? problem, params ReadOnlySpan<string?> secrets)
    {
        if (problem is null)
        {
            return null;
        }

        var forms = FormsOf(secrets);
        return problem with
        {
            Type = ScrubOrNull(problem.Type, forms),
            Title = ScrubOrNull(problem.Title, forms),
            Detail = ScrubOrNull(problem.Detail, forms),
            Path = ScrubOrNull(problem.Path, forms),
            Message = ScrubOrNull(problem.Message, forms),
            ErrorKey = ScrubOrNull(problem.ErrorKey, forms),
        };
    }

    private static string? ScrubOrNull(string? text, string[] forms) => text is null ? null : ScrubForms(text, forms);

    private static string ScrubForms(string text, string[] forms)
    {
        // A server may echo the token it rejected without a "Bearer" prefix; only the value itself identifies it.
        foreach (var form in forms)
        {
            text = text.Replace(form, Redacted, StringComparison.Ordinal);
        }

        return Secrets().Replace(text, Redacted);
    }

    // Shorter values are too likely to occur in ordinary text to be replaced blindly; real tokens are far longer.
    private const int MinSecretLength = 8;

    // Each secret as sent, and as a JSON body that echoes it would spell it: with the few escapes every encoder makes
    // (a tab as \t, a quote as \"), and with System.Text.Json's default ones (non-ASCII and HTML-sensitive characters
    // as \uXXXX). Each escaped form escaped once more, too: a problem whose detail quotes the login request the SDK
    // sent (which spells the password with the default escapes) doubles each backslash. Other servers' encoders spell
    // it their own way: only non-ASCII as \uxxxx, in lower-case hex (Python, PHP) or upper-case (Jackson), and '/' as
    // "\/" (PHP). A server that quotes a URL or a header spells it URL-encoded (%2B) or in base64. Longest first, so
    // that a secret inside another leaves no piece of the longer one behind.
    private static string[] FormsOf(ReadOnlySpan<string?> secrets)
    {
        var forms = new List<string>(secrets.Length * 16);
        foreach (var secret in secrets)
        {
            if (secret is { Length: >= MinSecretLength })
            {
                Add(secret);
                // The encoders, unlike JsonEncodedText, take a password that is not valid UTF-16 without throwing.
                var relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(secret);
                var escaped = JavaScriptEncoder.Default.Encode(secret);
                Add(relaxed);
                Add(escaped);
                Add(JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(relaxed));
                Add(JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(escaped));
                foreach (var hex in (ReadOnlySpan<string>)["x4", "X4"])
                {
                    var nonAscii = NonAsciiEscaped(relaxed, hex);
                    Add(nonAscii);
                    Add(nonAscii.Replace("/", "\\/", StringComparison.Ordinal));
                }

                // As a URL spells it, and as a form or query string does (a space as '+', "!*()" as they are); each in
                // upper-case hex and in lower-case, as .NET's HttpUtility.UrlEncode writes it.
                foreach (var percentEncoded in (ReadOnlySpan<string>)[Uri.EscapeDataString(secret), System.Net.WebUtility.UrlEncode(secret)])
                {
                    Add(percentEncoded);
                    Add(PercentLowerCase().Replace(percentEncoded, static m => m.Value.ToLowerInvariant()));
                }

                var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('=');
                Add(base64);
                Add(base64.Replace('+', '-').Replace('/', '_'));
            }
        }

        return [.. forms.OrderByDescending(static f => f.Length)];

        void Add(string form)
        {
            if (!forms.Contains(form, StringComparer.Ordinal))
            {
                forms.Add(form);
            }
        }
    }

    // Non-ASCII characters of a JSON-escaped text as \uxxxx, in the case of hex digits <paramref name="hex"/> asks for.
    private static string NonAsciiEscaped(string text, string hex)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c > 0x7E)
            {
                result.Append("\\u").Append(((int)c).ToString(hex, System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    [GeneratedRegex("%[0-9A-F]{2}")]
    private static partial Regex PercentLowerCase();

    // A body read up to a cap can end inside a character: the bytes of it that came are dropped, not decoded as U+FFFD,
    // so the text ends with whole characters that can be compared with a secret's.
    private static string DecodeWholeCharacters(ReadOnlySpan<byte> body)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[decoder.GetCharCount(body, flush: false)];
        var count = decoder.GetChars(body, chars, flush: false);
        return new string(chars, 0, count);
    }

    // A body read up to a cap can end inside a secret: the piece before the cap is the start of the secret, which no
    // search for the whole of it finds. The longest such piece at the end of the text is replaced; a piece of white
    // space alone shows nothing and stays. (The text never starts inside a secret: every body is read from its start,
    // and the parser's prefix skips only white space and a byte-order mark, which no token contains.)
    private static string WithoutCutOffSecret(string text, string[] forms)
    {
        var end = text.AsSpan();
        var cut = 0;
        foreach (var form in forms)
        {
            for (var length = Math.Min(form.Length - 1, end.Length); length > cut; length--)
            {
                var piece = end[^length..];
                if (piece.SequenceEqual(form.AsSpan(0, length)) && !piece.IsWhiteSpace())
                {
                    cut = length;
                    break;
                }
            }
        }

        return cut == 0 ? text : string.Concat(end[..^cut], Redacted);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    // A JWT (three base64url parts, the first starting with '{"' encoded), a bearer credential, or a JSON
    // "password"/"id_token" value: all of it, escaped quotes (\") included, up to its closing quote or the text's end.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]*)?|(?<=Bearer\s+)[^\s""',;]+|(?<=""(password|id_token|access_token|token)""\s*:\s*"")(?:[^""\\]|\\[\s\S]?)*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();
}
