using System.Text;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Chaos;

/// <summary>
/// An answer with both Transfer-Encoding: chunked and a Content-Length (a proxy that adds one, or forwards it
/// unchanged): HTTP says the chunked framing wins and the length is ignored (RFC 9112, 6.3), and .NET reads it so. The
/// SDK's small-body reader read only as many bytes as the length said, and reported a valid Sync Summary as invalid.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ChunkedWithContentLengthTests
{
    [Test]
    public async Task Chunked_answer_that_also_has_a_content_length_reads_whole(
        [Values] ClientKind kind, [Values(0, 5, 100)] int contentLength)
    {
        var body = Encoding.UTF8.GetBytes(LeafJson.DocumentedExample);
        var half = body.Length / 2;
        var answer = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            .Concat(Chunk(body[..half])).Concat(Chunk(body[half..])).Concat("0\r\n\r\n"u8.ToArray()).ToArray();
        using var raw = new RawHttpServer(_ => answer);
        using var h = new ResilienceHarness(kind, baseAddress: raw.Url);

        var response = await h.DriveAsync(() => h.Client.GetResourcesAsync());

        var summary = response.Summaries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.Message, Is.EqualTo("SUCCESS"));
            Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(summary.Fields, Is.EqualTo(100));
            Assert.That(raw.Requests, Is.EqualTo(1));
        });
    }

    // The client parses an answer itself when no SDK attempt read it: a handler of the user's, above the SDK's, that
    // replays a recorded answer (a cache, a test double) with the headers as they came.
    [Test]
    public async Task Chunked_answer_with_a_content_length_from_a_handler_above_the_SDK_reads_whole()
    {
        var services = new ServiceCollection();
        services.AddLeafSdk(o =>
            {
                o.BaseAddress = new Uri("http://127.0.0.1:9/");
                o.AccessToken = Stub.Token;
            })
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Insert(0, new ReplayingHandler()));
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
    }

    private sealed class ReplayingHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var answer = new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(LeafJson.DocumentedExample, Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
            answer.Headers.TransferEncodingChunked = true;
            answer.Content.Headers.ContentLength = 5;
            return Task.FromResult(answer);
        }
    }

    private static byte[] Chunk(byte[] data) =>
        [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8];
}
