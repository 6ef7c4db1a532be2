using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Http;

/// <summary>
/// Parses a successful Sync Summary body inside the attempt, under the attempt time-out, streaming from the socket.
/// A body that breaks off surfaces here as a network error, so the retry strategy above can try again. An error
/// answer's body is read here too (its first few kilobytes), so no body is ever read outside the time-outs.
/// </summary>
internal sealed class SyncSummaryParsingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await BufferErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }

        if (CallState.Of(request) is not { } state)
        {
            return response;
        }

        try
        {
            state.Result = await SyncSummaryParser.ParseAsync(response.Content, request.Headers.Authorization?.Parameter, cancellationToken).ConfigureAwait(false);

            // The parser has read the body and closed its stream. The spent content stays in place until the response
            // is disposed: Refit reads its headers on the way out, and a stand-in (or none, for which Refit makes one)
            // costs more than the rest of this handler.
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // The error message needs only the start of the body. Reading it here, under the attempt time-out, keeps a
    // status line followed by a stalled body from holding the call once the pipeline's time-outs are behind it.
    private static async Task BufferErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var original = response.Content;
        try
        {
            var body = await LeafErrors.ReadCappedAsync(original, cancellationToken).ConfigureAwait(false);
            var buffered = new ByteArrayContent(body);
            foreach (var header in original.Headers)
            {
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            response.Content = buffered;
            original.Dispose();
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
