using System.Net;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>
/// A transport's body as it is, with its headers, that reports its disposal once: a test counts the answers the SDK let
/// go of (and with them, their connections) however a call ended.
/// </summary>
internal sealed class CountedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Action _disposed;
    private int _isDisposed;

    /// <param name="inner">The body to hand on.</param>
    /// <param name="disposed">Called once, when this body is disposed.</param>
    public CountedContent(HttpContent inner, Action disposed)
    {
        _inner = inner;
        _disposed = disposed;
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
        if (disposing && Interlocked.Exchange(ref _isDisposed, 1) == 0)
        {
            _inner.Dispose();
            _disposed();
        }

        base.Dispose(disposing);
    }
}
