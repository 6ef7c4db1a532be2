using Leaf.Sdk.Testing;

namespace Leaf.Sdk.Tests.Round14Mutants;

/// <summary>
/// "Starts with the scheme" is said of a token that begins with the word Bearer and a space, and of no other: a token
/// with a stray space where "Bearer " would end (its seventh character) is an ordinary stray character, and the advice
/// to leave out "Bearer " would be wrong for it.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SchemeLookalikeTokenTests
{
    [TestCase("Zq8Xw3 Lp9Vb-K7q", "a space (U+0020) at index 6")]
    [TestCase("Zq8Xw3\tLp9Vb-K7q", "a tab (U+0009) at index 6")]
    [TestCase("  Zq8Xw3\u00A0Lp9Vb-K7q", "a non-ASCII space (U+00A0) at index 8")]
    public void The_options_name_the_stray_character_not_the_scheme(string token, string says)
    {
        var ex = Assert.Throws<ArgumentException>(() => new IntegrationsClient(new LeafClientOptions { AccessToken = token }));

        Assert.That(ex!.Message, Does.Contain("contains a character a bearer token cannot contain: " + says).And.Not.Contain("scheme"));
    }

    [TestCase("Zq8Xw3 Lp9Vb-K7q", "a space (U+0020) at index 6")]
    public async Task A_token_source_is_told_the_stray_character_not_the_scheme(string token, string says)
    {
        using var server = FakeLeafServer.Start();
        var options = server.CreateClientOptions();
        options.AccessToken = null;
        options.TokenSource = new Source(token);
        using var client = new IntegrationsClient(options);

        var ex = await Assert.ThrowsAsync<LeafAuthenticationException>(() => client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.StartWith("The token contains a character a bearer token cannot contain: " + says));
            Assert.That(ex.Message, Does.Not.Contain("scheme"));
            Assert.That(server.Requests, Is.Empty);
        });
    }

    private sealed class Source(string token) : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult(token);
    }
}
