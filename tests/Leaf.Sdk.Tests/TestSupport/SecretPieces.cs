namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>
/// The pieces of a secret a text must not show: every run of <see cref="Length"/> characters of it. A text that holds
/// none of them shows no useful part of the secret, not just not the whole of it.
/// </summary>
public static class SecretPieces
{
    public const int Length = 4;

    /// <summary>The pieces of <paramref name="secret"/> that occur in <paramref name="text"/>; empty when it shows none.</summary>
    public static IReadOnlyList<string> FoundIn(string? text, string secret) =>
        text is null
            ? []
            : Enumerable.Range(0, Math.Max(0, secret.Length - Length + 1))
                .Select(i => secret.Substring(i, Length))
                .Where(piece => text.Contains(piece, StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .ToList();
}
