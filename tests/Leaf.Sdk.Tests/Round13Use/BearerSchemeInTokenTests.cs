using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round13Use;

/// <summary>
/// The header value copied whole ("Bearer eyJ...", from a browser's network tab or Postman) is the commonest way to get
/// a token wrong. Refused, as before, but with what to do about it: the advice for a pasted stray character ("copy
/// the token again as plain text") sent the user to copy the same text again.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BearerSchemeInTokenTests
{
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJl";

    private sealed class HeaderValueSource(string value) : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult(value);
    }

    [TestCase("Bearer " + Token)]
    [TestCase("bearer " + Token)]
    [TestCase("  Bearer  " + Token + "\n")]
    public void The_standalone_client_says_to_leave_the_scheme_out(string accessToken)
    {
        var options = new LeafClientOptions { AccessToken = accessToken };

        var ex = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("Leaf:AccessToken starts with the scheme \"Bearer\""));
            Assert.That(ex.Message, Does.Contain("without \"Bearer \""));
            Assert.That(ex.Message, Does.Not.Contain("copy the token again"));
            Assert.That(ex.Message, Does.Not.Contain(Token[..10]));
        });
    }

    [Test]
    public void Start_up_validation_says_it_too()
    {
        var services = new ServiceCollection();
        services.AddLeafSdk(o => o.AccessToken = "Bearer " + Token);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<LeafClientOptions>>().Get(Options.DefaultName));

        Assert.That(ex!.Message, Does.Contain("starts with the scheme \"Bearer\"").And.Not.Contain("copy the token again"));
    }

    [Test]
    public async Task A_token_source_returning_the_header_value_is_told_so_before_anything_is_sent()
    {
        using var server = FakeLeafServer.Start();
        var options = server.CreateClientOptions();
        options.AccessToken = null;
        options.TokenSource = new HeaderValueSource("Bearer " + Token);
        using var client = new IntegrationsClient(options);

        var ex = await Assert.ThrowsAsync<LeafAuthenticationException>(() => client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("starts with the scheme \"Bearer\""));
            Assert.That(ex.Message, Does.Contain("without \"Bearer \""));
            Assert.That(ex.Message, Does.Not.Contain("copy the token again").And.Not.Contain(Token[..10]));
            Assert.That(server.Requests, Is.Empty);
        });
    }

    [Test]
    public void A_token_that_merely_starts_with_the_letters_keeps_the_usual_message()
    {
        var options = new LeafClientOptions { AccessToken = "Bearerish\u00a0token" };

        var ex = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options));

        Assert.That(ex!.Message, Does.Contain("a non-ASCII space (U+00A0) at index 9").And.Not.Contain("scheme"));
    }
}
