using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round9Cancel;

/// <summary>
/// Counts the responses the transport handed up and those whose body was disposed since, so a test can tell that the
/// SDK let go of every answer (and with it, of its connection) however the call ended.
/// </summary>
internal sealed class ResponseLedger
{
    private int _created;
    private int _disposed;

    public int Undisposed => Volatile.Read(ref _created) - Volatile.Read(ref _disposed);

    public int Created => Volatile.Read(ref _created);

    /// <summary>A primary handler for the DI client: the SDK's own sockets handler, each answer's body counted.</summary>
    public HttpMessageHandler PrimaryHandler() => new Counting(this) { InnerHandler = Leaf.Sdk.Http.LeafHttpPipeline.CreatePrimaryHandler() };

    private sealed class Counting(ResponseLedger ledger) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Interlocked.Increment(ref ledger._created);
            response.Content = new CountedContent(response.Content, () => Interlocked.Increment(ref ledger._disposed));
            return response;
        }
    }
}
