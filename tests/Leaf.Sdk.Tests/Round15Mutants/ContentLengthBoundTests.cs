using System.Net;
using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round15Mutants;

/// <summary>
/// <see cref="SyncSummaryParser.MaxBodyBytes"/> is "the largest body the parser reads": a body of exactly that many
/// bytes is read, whether its length is declared (Content-Length, checked before a byte is read) or found as it streams
/// (PrefixCapturingStream stops only past it). Round11Encoding's bodies are 10 GB declared, or "just under" by up to a
/// megabyte, so neither edge of the declared check was pinned: refusing a Content-Length equal to the bound went unseen.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ContentLengthBoundTests
{
    [Test]
    public async Task A_body_whose_content_length_is_exactly_the_bound_is_read()
    {
        var json = Encoding.UTF8.GetBytes(LeafJson.DocumentedExample.Trim());
        using var stream = new PaddedBody(json, SyncSummaryParser.MaxBodyBytes);
        using var content = new StreamContent(stream);
        content.Headers.ContentLength = SyncSummaryParser.MaxBodyBytes;

        var response = await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
            Assert.That(stream.Position, Is.EqualTo(SyncSummaryParser.MaxBodyBytes), "the whole body was read");
        });
    }

    [Test]
    public async Task A_body_whose_content_length_is_one_byte_past_the_bound_is_refused_unread()
    {
        var json = Encoding.UTF8.GetBytes(LeafJson.DocumentedExample.Trim());
        using var stream = new PaddedBody(json, SyncSummaryParser.MaxBodyBytes + 1);
        using var content = new StreamContent(stream);
        content.Headers.ContentLength = SyncSummaryParser.MaxBodyBytes + 1;

        var error = await Expect.Throws<LeafApiException>(async () => await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"Leaf answered with a body of {SyncSummaryParser.MaxBodyBytes + 1} bytes (Content-Length)"));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stream.Position, Is.Zero, "not a byte of it is read");
        });
    }

    /// <summary>The JSON, then white space up to <c>length</c> bytes in all, made as it is read: no 128 MB array.</summary>
    private sealed class PaddedBody(byte[] json, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            var fromJson = (int)Math.Clamp(json.Length - _position, 0, n);
            json.AsSpan((int)Math.Min(_position, json.Length), fromJson).CopyTo(buffer);
            buffer[fromJson..n].Fill((byte)' ');
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
