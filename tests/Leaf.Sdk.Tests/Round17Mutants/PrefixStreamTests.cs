using System.Buffers;
using System.Text;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Tests.Round17Mutants;

/// <summary>
/// PrefixCapturingStream is a pass-through stream that keeps the first 512 bytes of a body, in an array rented from the
/// shared pool and returned on Dispose. Read in pieces of any size after the peek, it gives back the body byte for byte
/// (the replay of the kept prefix included). And a stream may be disposed more than once (Stream's contract): returning
/// the array twice would hand it to two renters at once, and one call's body would show in another call's excerpt.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class PrefixStreamTests
{
    [Test]
    public void Disposing_twice_returns_the_prefix_to_the_pool_once()
    {
        // Synchronous on purpose: the pool's per-thread slot and the per-core stack behind it are where a second return
        // of the same array would be found by the next two rentals on this thread.
        for (var round = 0; round < 3; round++)
        {
            var stream = new PrefixCapturingStream(new MemoryStream("{\"summaries\":[]}"u8.ToArray()));
            stream.Dispose();
            stream.Dispose();

            var first = ArrayPool<byte>.Shared.Rent(PrefixCapturingStream.Capacity);
            var second = ArrayPool<byte>.Shared.Rent(PrefixCapturingStream.Capacity);
            try
            {
                Assert.That(second, Is.Not.SameAs(first), $"round {round}: one array rented twice");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(first);
                if (!ReferenceEquals(first, second))
                {
                    ArrayPool<byte>.Shared.Return(second);
                }
            }
        }
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(100)]
    [TestCase(511)]
    [TestCase(513)]
    [TestCase(4096)]
    public async Task Read_in_pieces_of_any_size_after_the_peek_the_body_comes_back_whole(int piece)
    {
        var body = Encoding.ASCII.GetBytes("  {\"summaries\":[" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"{{\"provider\":\"JohnDeere\",\"fields\":{i}}}")) + "]}");
        Assert.That(body, Has.Length.GreaterThan(PrefixCapturingStream.Capacity + 100), "the body is longer than the prefix");
        await using var stream = new PrefixCapturingStream(new MemoryStream(body));

        Assert.That(await stream.PeekFirstSignificantByteAsync(CancellationToken.None), Is.EqualTo('{'));
        var read = new List<byte>();
        var buffer = new byte[piece];
        int n;
        while ((n = await stream.ReadAsync(buffer.AsMemory(), CancellationToken.None)) > 0)
        {
            read.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        Assert.Multiple(() =>
        {
            Assert.That(read.ToArray(), Is.EqualTo(body));
            Assert.That(stream.Captured.ToArray(), Is.EqualTo(body[..PrefixCapturingStream.Capacity]), "the prefix kept is the body's first 512 bytes");
        });
    }
}
