using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round15Mutants;

/// <summary>
/// The login pipeline "has no circuit breaker of its own" (LeafResiliencePipelineFactory.Create): a failed login is
/// never counted toward a breaker, so an outage of the login does not turn into "circuit open" errors that stop the
/// SDK from logging in once Leaf is back. The breaker's threshold (README: at least 10 attempts in 30 s, half of them
/// failed) is passed here by logins alone, each of which must still reach Leaf. No test made more than a few failed
/// logins, so a breaker on the login went unseen.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginBreakerTests
{
    private const int Calls = 12;

    [Test]
    public async Task Every_call_tries_the_login_however_many_logins_failed_before([Values] ClientKind kind)
    {
        using var server = Stub.Start();
        server.Login(503, AuthStub.Problem(503, "Service Unavailable", "down for maintenance"));
        var options = AuthStub.LoginOptions(server);
        options.EnableCircuitBreaker = true;
        using var client = TestClient.Create(kind, options);

        var messages = new List<string>();
        for (var i = 0; i < Calls; i++)
        {
            var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());
            messages.Add(error.Message);
        }

        Assert.Multiple(() =>
        {
            Assert.That(server.LogEntries.Count(e => e.RequestMessage?.Path == AuthStub.LoginPath), Is.EqualTo(Calls));
            Assert.That(server.LogEntries.Count(e => e.RequestMessage?.Path == Stub.ResourcesPath), Is.Zero);
            Assert.That(messages.Distinct(), Has.Exactly(1).Items, "the last call fails as the first did");
            Assert.That(messages[^1], Does.Not.Contain("circuit"));
        });
    }
}
