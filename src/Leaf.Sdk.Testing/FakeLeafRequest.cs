using System.Text;

namespace Leaf.Sdk.Testing;

/// <summary>One request the fake server received, as its journal records it. Credentials are never recorded.</summary>
/// <remarks>
/// Two requests are equal when their method, path, bearer-token presence and status are equal and their queries hold
/// the same parameters with the same values (in any order), so a test can compare the journal with the requests it
/// expects.
/// </remarks>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, e.g. <c>/services/integrations/api/resources</c>.</param>
/// <param name="Query">The query parameters (one value each).</param>
/// <param name="HadBearerToken">Whether an <c>Authorization: Bearer</c> header was present.</param>
/// <param name="StatusCode">The status the fake answered with.</param>
public sealed record FakeLeafRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    bool HadBearerToken,
    int StatusCode)
{
    private static readonly Dictionary<string, string> Empty = [];

    /// <summary>Whether <paramref name="other"/> is the same request with the same answer.</summary>
    /// <param name="other">The request to compare with.</param>
    /// <returns><see langword="true"/> when both are the same request, query parameters in any order.</returns>
    // The generated equality compared Query by reference, so no recorded request ever equalled an expected one.
    public bool Equals(FakeLeafRequest? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Method, other.Method, StringComparison.Ordinal)
                && string.Equals(Path, other.Path, StringComparison.Ordinal)
                && HadBearerToken == other.HadBearerToken
                && StatusCode == other.StatusCode
                && SameQuery(Query, other.Query)));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        // Order-independent, as the equality: a sum of each parameter's hash.
        var query = 0;
        foreach (var (key, value) in Query ?? Empty)
        {
            query += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value is null ? 0 : StringComparer.Ordinal.GetHashCode(value));
        }

        return HashCode.Combine(Method, Path, HadBearerToken, StatusCode, query);
    }

    private static bool SameQuery(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        a ??= Empty;
        b ??= Empty;
        if (a.Count != b.Count)
        {
            return false;
        }

        // Each parameter of one is found in the other by exact name, not through b's own comparer: a test's expected
        // query in a case-insensitive dictionary equalled the journal's one way round and not the other, with hashes
        // that differed. Names are distinct in each, and the counts equal, so one way round is enough.
        foreach (var (key, value) in a)
        {
            if (!b.Any(p => string.Equals(p.Key, key, StringComparison.Ordinal) && string.Equals(p.Value, value, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    // The generated ToString printed the dictionary's type name, so an assertion's message never showed the query.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Method = ").Append(Method).Append(", Path = ").Append(Path).Append(", Query = {");
        var first = true;
        foreach (var (key, value) in Query ?? Empty)
        {
            builder.Append(first ? " " : ", ").Append(key).Append(" = ").Append(value);
            first = false;
        }

        builder.Append(" }, HadBearerToken = ").Append(HadBearerToken).Append(", StatusCode = ").Append(StatusCode);
        return true;
    }
}
