using System.Net;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Chaos;

/// <summary>
/// A 304 Not Modified (a cache or proxy in between; the SDK never sends a conditional request) is no redirect: its
/// message said "The SDK does not follow redirects", which sent the user looking for a redirect that was never there.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class NotModifiedTests
{
    [Test]
    public async Task Not_modified_is_reported_as_what_it_is_not_as_a_redirect([Values] ClientKind kind)
    {
        using var raw = new RawHttpServer(_ => "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n"u8.ToArray());
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 2, baseAddress: raw.Url);

        var ex = await FaultMatrixTests.CatchAsync(h, () => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(raw.Requests, Is.EqualTo(1));
            Assert.That(ex.Message, Does.Not.Contain("redirect"));
            Assert.That(ex.Message, Is.EqualTo("Leaf answered 304 Not Modified to the Sync Summary request. The SDK never asks conditionally, so a cache or proxy between it and Leaf sent this; check BaseAddress and any proxy."));
        });
    }
}
