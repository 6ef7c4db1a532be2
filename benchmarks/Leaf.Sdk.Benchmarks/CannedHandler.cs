using System.Net;
using System.Net.Http.Headers;

namespace Leaf.Sdk.Benchmarks;

/// <summary>
/// An in-memory transport: every request gets a 200 with a fresh stream over the same pre-serialized body, so the
/// benchmarks measure the client's cost alone, the same for every contender.
/// </summary>
public sealed class CannedHandler(byte[] body) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Respond(request));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => Respond(request);

    private HttpResponseMessage Respond(HttpRequestMessage request)
    {
        // A stream, not a byte array: readers see what they would see from a socket, and whoever buffers pays for it.
        var content = new StreamContent(new MemoryStream(body, writable: false));
        content.Headers.ContentType = Json;
        content.Headers.ContentLength = body.Length;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
