using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round16Lead;

/// <summary>
/// A handler of the app's, placed above the SDK's, may answer on its own (a cache, a test double). Its request never
/// reached the SDK's token handler, so it carries no token; when its answer does not parse, the configured token is
/// still removed from the error's excerpt, as it is from an answer of Leaf's.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UserAnsweredBodyRedactionTests
{
    private const string OpaqueToken = "opaque-token-4471-not-a-jwt";

    [Test]
    public async Task The_configured_token_is_removed_from_the_excerpt_of_an_answer_the_app_s_own_handler_gave()
    {
        using var server = Stub.Start();
        var services = new ServiceCollection();
        services.AddLeafSdk(o =>
            {
                TestClient.Copy(Stub.Options(server), o);
                o.AccessToken = OpaqueToken;
            })
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Insert(0, new AnsweringHandler($"upstream said: token {OpaqueToken} was used")));
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<LeafApiException>(async () => await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.ResponseExcerpt, Does.StartWith("upstream said: token"), "the excerpt is there");
            Assert.That(error.ResponseExcerpt, Does.Not.Contain(OpaqueToken));
            Assert.That(error.ToString(), Does.Not.Contain(OpaqueToken));
            Assert.That(server.LogEntries, Is.Empty, "the app's handler answered; nothing went to Leaf");
        });
    }
}
