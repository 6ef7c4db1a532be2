using System.Net;
using System.Net.Http.Headers;
using Leaf.Sdk.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round14Mutants;

/// <summary>
/// Retry-After on the wire is never negative (its seconds do not parse), but RetryConditionHeaderValue takes a negative
/// delta: a handler of the user's inside the SDK's pipeline (a test double, a local rate limiter) can build one. It means
/// "now", as a date in the past does, never a negative wait (which Polly would drop for its own back-off, and the
/// retry event would report as a negative DelayMs).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class NegativeRetryAfterTests
{
    [TestCase(-1)]
    [TestCase(-3600)]
    public void A_negative_delta_is_a_wait_of_zero(int seconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));

        Assert.That(RetryAfter.Read(response, new FakeTimeProvider()), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void A_positive_delta_and_a_date_are_read_as_they_are()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
        using var delta = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        delta.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        using var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        date.Headers.RetryAfter = new RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(90));
        using var past = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        past.Headers.RetryAfter = new RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(-90));

        Assert.Multiple(() =>
        {
            Assert.That(RetryAfter.Read(delta, time), Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(RetryAfter.Read(date, time), Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(RetryAfter.Read(past, time), Is.EqualTo(TimeSpan.Zero));
        });
    }
}
