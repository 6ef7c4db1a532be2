using System.Net;

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
            response.Content = new CountedContent(response.Content, ledger);
            return response;
        }
    }

    /// <summary>The transport's body as it is, with its headers; counted when disposed.</summary>
    private sealed class CountedContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly ResponseLedger _ledger;
        private int _disposed;

        public CountedContent(HttpContent inner, ResponseLedger ledger)
        {
            _inner = inner;
            _ledger = ledger;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            _inner.CopyToAsync(stream, cancellationToken);

        protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _inner.Dispose();
                Interlocked.Increment(ref _ledger._disposed);
            }

            base.Dispose(disposing);
        }
    }
}
