namespace Leaf.Sdk.Testing;

/// <summary>One request the fake server received, as its journal records it. Credentials are never recorded.</summary>
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
    int StatusCode);
