using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round16Lead;

/// <summary>
/// The SDK reads only the start of an error answer's body, inside the attempt, and puts that start in place of the
/// body. A handler of the app's above the SDK's still sees the answer: its content headers must describe the body it
/// now has (the length of the start, not of Leaf's whole body), with the other headers kept.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BufferedErrorBodyHeadersTests
{
    private sealed class RecordingHandler : DelegatingHandler
    {
        public long? ContentLength { get; private set; }

        public int BytesRead { get; private set; }

        public string? ContentType { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            ContentLength = response.Content.Headers.ContentLength;
            ContentType = response.Content.Headers.ContentType?.MediaType;
            BytesRead = (await response.Content.ReadAsByteArrayAsync(cancellationToken)).Length;
            return response;
        }
    }

    [Test]
    public async Task An_error_answer_s_buffered_start_says_its_own_length_and_keeps_its_type()
    {
        // Framed with a Content-Length (WireMock would send it chunked, with no length to carry over).
        var answer = System.Text.Encoding.ASCII.GetBytes(
            $"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\nConnection: close\r\n\r\n{new string('x', 10_000)}");
        using var server = new RawHttpServer(_ => answer);
        var recorder = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddLeafSdk(o =>
            {
                o.BaseAddress = server.Url;
                o.AccessToken = Stub.Token;
                o.MaxRetries = 0;
            })
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Insert(0, recorder));
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<LeafApiException>(async () => await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
            Assert.That(server.Requests, Is.EqualTo(1));
            Assert.That(recorder.BytesRead, Is.GreaterThan(0).And.LessThan(10_000), "only the start of the body was kept");
            Assert.That(recorder.ContentLength, Is.EqualTo(recorder.BytesRead), "Content-Length says what the body now holds");
            Assert.That(recorder.ContentType, Is.EqualTo("text/plain"), "the other content headers are kept");
        });
    }
}
