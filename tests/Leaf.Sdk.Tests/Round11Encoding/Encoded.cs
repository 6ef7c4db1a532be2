using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round11Encoding;

/// <summary>Options, bodies and answers the Round11Encoding tests share.</summary>
internal static class Encoded
{
    /// <summary>A token that outlives every test: only a 401 renews it.</summary>
    public static readonly string Jwt = AuthStub.Jwt(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>A second one, for the renewal after a 401.</summary>
    public static readonly string RenewedJwt = AuthStub.Jwt(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), salt: "renewed");

    /// <summary>The documented example's one summary, as a JSON object.</summary>
    public static readonly string OneSummary = LeafJson.DocumentedExample.Trim()[LeafJson.DocumentedExample.Trim().IndexOf("{\"provider", StringComparison.Ordinal)..^2];

    /// <summary>Leaf's documented example, 200 summaries of it: over the small-body limit, so it streams.</summary>
    public static readonly string Large = MakeLarge(200);

    /// <summary>Options for <paramref name="url"/>: a static token, or the login when <paramref name="login"/>.</summary>
    public static LeafClientOptions Options(Uri url, int maxRetries = 0, bool login = false) => new()
    {
        BaseAddress = url,
        AccessToken = login ? null : Stub.Token,
        Username = login ? AuthStub.Username : null,
        Password = login ? AuthStub.Password : null,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        // Only a bound on a hang: no test here waits for a time-out.
        AttemptTimeout = TimeSpan.FromSeconds(30),
        TotalTimeout = TimeSpan.FromSeconds(60),
        EnableCircuitBreaker = false,
    };

    /// <summary>A Sync Summary body: the documented example, or <see cref="Large"/>.</summary>
    public static string Body(bool large) => large ? Large : LeafJson.DocumentedExample;

    /// <summary>The login's answer handing out <paramref name="token"/>.</summary>
    public static string LoginBody(string token) => $$"""{"id_token":"{{token}}"}""";

    public static string MakeLarge(int count)
    {
        var body = $"{{\"message\":\"SUCCESS\",\"summaries\":[{string.Join(',', Enumerable.Repeat(OneSummary, count))}]}}";
        Assert.That(Encoding.UTF8.GetByteCount(body), Is.GreaterThan(Leaf.Sdk.Serialization.SyncSummaryParser.SmallBodyLimit));
        return body;
    }

    /// <summary>Writes <paramref name="bytes"/> and keeps the connection.</summary>
    public static async Task<bool> Send(Stream stream, byte[] bytes, CancellationToken stop)
    {
        await stream.WriteAsync(bytes, stop);
        return true;
    }
}
