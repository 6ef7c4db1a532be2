using System.Net;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Lead;

/// <summary>A 5xx the SDK does not retry (IsTransient false) must not tell the user to try again later.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class PermanentServerErrorTests
{
    [TestCase(501, ClientKind.Standalone)]
    [TestCase(505, ClientKind.DependencyInjection)]
    [TestCase(511, ClientKind.Standalone)]
    public async Task A_5xx_that_is_not_retried_does_not_advise_trying_again(int code, ClientKind kind)
    {
        var ex = await Stub.FailureAsync(kind, """{"title":"Not here","status":501}""", code);

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo((HttpStatusCode)code));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(ex.Attempts, Is.EqualTo(1));
            Assert.That(ex.Message, Does.Not.Contain("try again later"));
            Assert.That(ex.Message, Does.Contain("trying again will not change that"));
        });
    }

    [Test]
    public async Task A_503_still_says_try_again_later()
    {
        var ex = await Stub.FailureAsync(ClientKind.Standalone, "{}", 503, maxRetries: 0);

        Assert.That(ex.Message, Does.Contain("Leaf had a server-side problem; try again later."));
    }
}
