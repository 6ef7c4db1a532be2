using System.Buffers;

namespace Leaf.Sdk.Serialization;

/// <summary>
/// A read-only pass-through stream that keeps the first bytes it reads, so a parse error can quote the start of the
/// body without buffering the whole of it, and that can peek at the first significant byte to tell the JSON shape.
/// </summary>
internal sealed class PrefixCapturingStream(Stream inner) : Stream
{
    internal const int Capacity = 512;

    // Rented: one per call otherwise, and the largest allocation of a small response. Returned on Dispose.
    private byte[] _prefix = ArrayPool<byte>.Shared.Rent(Capacity);
    private int _captured;   // bytes held in _prefix
    private int _replayed;   // of those, bytes already handed to the reader
    private bool _atStart = true;   // _prefix[0] is the body's first byte: no white space was dropped before it
    private long _read;             // bytes read from the body so far, for the bound on its size

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public ReadOnlySpan<byte> Captured => _prefix.AsSpan(0, _captured);

    /// <summary>Whether the body went on past <see cref="SyncSummaryParser.MaxBodyBytes"/>, and reading it stopped there.</summary>
    public bool Exceeded => _read > SyncSummaryParser.MaxBodyBytes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// The captured bytes from the first significant one on: what a parse error quotes, as the whole-body path quotes
    /// the body after its white space and byte-order mark.
    /// </summary>
    public ReadOnlySpan<byte> Content => Captured[SignificantStart(Captured, _atStart)..];

    /// <summary>Returns the first byte that is not white space or a UTF-8 byte-order mark, or -1 for an empty body.</summary>
    public async ValueTask<int> PeekFirstSignificantByteAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var captured = _prefix.AsSpan(0, _captured);
            var significant = SignificantStart(captured, _atStart);

            // A body may arrive a byte at a time: the first bytes of a byte-order mark are not yet its first byte.
            var maybeBom = _atStart && captured.Length < Utf8Bom.Length && Utf8Bom.StartsWith(captured);
            if (significant < _captured && !maybeBom)
            {
                return _prefix[significant];
            }

            if (_captured == Capacity)
            {
                // Only white space so far: JSON ignores it, so drop it and keep looking rather than call the body
                // "not JSON"; the excerpt then starts where the content does.
                _atStart = false;
                _captured = 0;
                _replayed = 0;
            }

            var read = Counted(await inner.ReadAsync(_prefix.AsMemory(_captured, Capacity - _captured), cancellationToken).ConfigureAwait(false));
            if (read == 0)
            {
                return significant < _captured ? _prefix[significant] : -1;
            }

            _captured += read;
        }
    }

    /// <summary>
    /// Where JSON text starts in <paramref name="bytes"/>: after white space and, when they are the start of the body
    /// (<paramref name="atStart"/>), a UTF-8 byte-order mark. <c>bytes.Length</c> when there is none. Only a whole mark,
    /// at the very start, is skipped, as the serializer skips it: a stray byte of one is not JSON.
    /// </summary>
    public static int SignificantStart(ReadOnlySpan<byte> bytes, bool atStart = true)
    {
        var i = atStart && bytes.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        while (i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    /// <summary>Reads on until the prefix is full or the body ends, for an error message that quotes the start.</summary>
    public async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_replayed == 0 && _captured < Capacity)
        {
            var room = Capacity - _captured;
            _captured += Counted(await inner.ReadAtLeastAsync(_prefix.AsMemory(_captured, room), room, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false));
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_replayed < _captured)
        {
            return Replay(buffer);
        }

        var read = Counted(inner.Read(buffer));
        Capture(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_replayed < _captured)
        {
            return Replay(buffer.Span);
        }

        var read = Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        Capture(buffer.Span[..read]);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            var prefix = _prefix;
            _prefix = [];
            _captured = 0;
            _replayed = 0;
            if (prefix.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(prefix);
            }
        }

        base.Dispose(disposing);
    }

    // A body too large to be a Sync Summary (a decompression bomb, a proxy streaming something else) would otherwise be
    // read for as long as AttemptTimeout allows, every summary in it kept, and then read again by each retry. One sum and
    // one comparison per read of the streamed path; the failure is built out of line.
    private int Counted(int read)
    {
        _read += read;
        if (_read > SyncSummaryParser.MaxBodyBytes)
        {
            ThrowTooLarge();
        }

        return read;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTooLarge() => throw new LeafApiException(SyncSummaryParser.TooLarge(declared: null), System.Net.HttpStatusCode.OK);

    private int Replay(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _captured - _replayed);
        _prefix.AsSpan(_replayed, count).CopyTo(buffer);
        _replayed += count;
        return count;
    }

    private void Capture(ReadOnlySpan<byte> read)
    {
        var room = _prefix.Length == 0 ? 0 : Capacity - _captured;
        if (room > 0 && read.Length > 0)
        {
            var count = Math.Min(room, read.Length);
            read[..count].CopyTo(_prefix.AsSpan(_captured));
            _captured += count;
            _replayed = _captured;
        }
    }
}
