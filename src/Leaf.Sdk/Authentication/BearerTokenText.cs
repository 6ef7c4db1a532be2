using System.Globalization;
using System.Text;

namespace Leaf.Sdk.Authentication;

/// <summary>
/// What a bearer token may contain: visible ASCII (0x21-0x7E). RFC 6750's b64token is a subset; real tokens vary, so
/// nothing stricter is asked. Anything else (a space, a line break, a control character, a byte-order mark, a smart
/// quote or a zero-width space pasted with the token) cannot travel in an Authorization header.
/// </summary>
internal static class BearerTokenText
{
    /// <summary>
    /// The index in <paramref name="token"/> of the first character a bearer token cannot contain, or -1 when there is
    /// none. Surrounding white space is not counted: the SDK trims it (a token read from a file ends in a line break).
    /// </summary>
    public static int IndexOfInvalid(string token)
    {
        var span = token.AsSpan();
        var trimmed = span.TrimStart();
        var start = span.Length - trimmed.Length;
        var index = trimmed.TrimEnd().IndexOfAnyExceptInRange('\u0021', '\u007E');
        return index < 0 ? -1 : start + index;
    }

    /// <summary>
    /// Whether <paramref name="token"/> is a whole header value, the scheme <c>Bearer</c> and a space before the token
    /// (copied from a browser's network tab or an HTTP tool): the SDK adds the scheme itself.
    /// </summary>
    public static bool StartsWithScheme(string token)
    {
        var trimmed = token.AsSpan().TrimStart();
        return trimmed.Length > "Bearer".Length
            && trimmed.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase)
            && char.IsWhiteSpace(trimmed["Bearer".Length]);
    }

    /// <summary>
    /// Says which character is at <paramref name="index"/> of <paramref name="token"/> ("a line break (U+000A) at
    /// index 10"): what kind of character, its code point and its position, never the token or any part of it.
    /// </summary>
    public static string Describe(string token, int index)
    {
        var code = Rune.DecodeFromUtf16(token.AsSpan(index), out var rune, out _) == System.Buffers.OperationStatus.Done
            ? rune.Value
            : token[index];
        var what = code switch
        {
            ' ' => "a space",
            '\t' => "a tab",
            '\r' or '\n' => "a line break",
            < 0x20 or 0x7F => "a control character",
            0xFEFF => "a byte-order mark",
            0x200B or 0x200C or 0x200D or 0x2060 => "a zero-width character",
            _ when Rune.IsValid(code) && Rune.IsWhiteSpace(new Rune(code)) => "a non-ASCII space",
            _ => "a non-ASCII character",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{what} (U+{code:X4}) at index {index}");
    }
}
