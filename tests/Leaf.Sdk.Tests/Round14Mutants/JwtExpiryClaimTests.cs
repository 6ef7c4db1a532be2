using System.Buffers.Text;
using System.Text;
using Leaf.Sdk.Authentication;

namespace Leaf.Sdk.Tests.Round14Mutants;

/// <summary>
/// The renewal is timed by the token's own <c>exp</c> claim: a top-level member of the payload. A claim of the same
/// name inside another claim (an object or array of the issuer's) is not the token's expiry, and must neither cut the
/// token's life short (a nested <c>exp</c> in the past would send every call to the login) nor hide the real one.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class JwtExpiryClaimTests
{
    private const long Exp = 1_900_000_000;

    [TestCase("""{"ctx":{"exp":1},"exp":1900000000}""")]
    [TestCase("""{"ctx":{"inner":{"exp":5}},"sub":"x","exp":1900000000}""")]
    [TestCase("""{"aud":["exp","leaf"],"exp":1900000000}""")]
    [TestCase("""{"aud":[{"exp":2}],"exp":1900000000}""")]
    public void Only_the_top_level_exp_claim_is_the_tokens_expiry(string payload)
    {
        Assert.That(JwtExpiry.Read(Token(payload)), Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(Exp)));
    }

    [TestCase("""{"ctx":{"exp":1900000000}}""")]
    [TestCase("""{"aud":["a"],"nbf":1}""")]
    public void A_payload_whose_only_exp_is_nested_has_no_expiry(string payload)
    {
        Assert.That(JwtExpiry.Read(Token(payload)), Is.Null);
    }

    // RFC 7519's NumericDate counts from the epoch: 0 and below are no expiry a token issued now can have (as -5 in
    // TokenCacheTests), so Leaf's documented lifetime applies instead.
    [TestCase("""{"exp":0}""")]
    [TestCase("""{"exp":0.5}""")]
    [TestCase("""{"exp":0.999}""")]
    public void An_exp_at_the_epoch_is_no_expiry(string payload)
    {
        Assert.That(JwtExpiry.Read(Token(payload)), Is.Null);
    }

    // The last second DateTimeOffset can hold is a readable expiry like any other; one second later is not.
    [Test]
    public void The_last_representable_second_is_a_readable_exp()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JwtExpiry.Read(Token("""{"exp":253402300799}""")), Is.EqualTo(DateTimeOffset.MaxValue.AddTicks(-(TimeSpan.TicksPerSecond - 1))));
            Assert.That(JwtExpiry.Read(Token("""{"exp":253402300799.25}""")), Is.EqualTo(DateTimeOffset.MaxValue.AddTicks(-(TimeSpan.TicksPerSecond - 1))));
            Assert.That(JwtExpiry.Read(Token("""{"exp":253402300800}""")), Is.Null);
        });
    }

    private static string Token(string payload) =>
        "eyJhbGciOiJub25lIn0." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + ".sig";
}
