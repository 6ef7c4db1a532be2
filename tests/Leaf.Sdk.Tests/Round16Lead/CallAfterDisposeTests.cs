using System.Diagnostics;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round16Lead;

/// <summary>
/// A call on a client that was already disposed is refused before it starts: no span for a call that never happened,
/// and a message that says the client was disposed, not that a request was cut off in flight.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class CallAfterDisposeTests
{
    [Test]
    public async Task A_call_on_a_disposed_client_is_refused_before_it_starts()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var client = new IntegrationsClient(Stub.Options(server));
        client.Dispose();

        using var spans = new SpanRecorder();

        ObjectDisposedException? thrown;
        using (var parent = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            spans.TraceId = parent.TraceId;
            thrown = await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.GetResourcesAsync());
        }

        Assert.Multiple(() =>
        {
            Assert.That(thrown!.ObjectName, Is.EqualTo(typeof(IntegrationsClient).FullName));
            Assert.That(thrown.Message, Does.Not.Contain("in flight"), "nothing was in flight: the call never started");
            Assert.That(spans.Recorded, Is.Empty, "no span for a call that was never made");
            Assert.That(server.LogEntries, Is.Empty, "nothing reached Leaf");
        });
    }
}
