using System.Net;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round15Mutants;

/// <summary>
/// A wait longer than what is left of TotalTimeout fails the call at once, "whose message says the retry was not made
/// and why" (README, "Retries and time-outs"). After the last attempt no retry is due whatever Leaf's Retry-After
/// says: the call failed because its retries ran out, and the message must not blame a wait it never weighed. Only
/// the answer before the last is weighed; the existing tests refuse a Retry-After on the first answer, never on the
/// last, so weighing the last one as well ("attempt > MaxRetries") went unseen.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LastAttemptRetryAfterTests
{
    [TestCase(ClientKind.Standalone, 503, " Leaf had a server-side problem; try again later.")]
    [TestCase(ClientKind.DependencyInjection, 503, " Leaf had a server-side problem; try again later.")]
    [TestCase(ClientKind.Standalone, 429, " Leaf is rate limiting; slow down or try again later.")]
    [TestCase(ClientKind.DependencyInjection, 429, " Leaf is rate limiting; slow down or try again later.")]
    public async Task A_retry_after_on_the_last_answer_is_not_reported_as_a_refused_wait(ClientKind kind, int status, string hint)
    {
        using var server = Stub.Start();
        var answers = 0;

        // The first answer asks for no wait (retried at once on a clock that never moves), the last for two minutes.
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => new WireMock.ResponseMessage
            {
                StatusCode = status,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>>
                {
                    ["Retry-After"] = new(Interlocked.Increment(ref answers) == 1 ? "0" : "120"),
                },
            }));
        var options = Stub.Options(server, maxRetries: 1);
        using var client = TestClient.Create(kind, options, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(error.Attempts, Is.EqualTo(2));
            Assert.That(error.Message, Does.Contain(" after 2 attempts").And.EndWith(hint));
            Assert.That(error.Message, Does.Not.Contain("Retry-After"));
        });
    }
}
