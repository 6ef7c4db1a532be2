using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Http;

/// <summary>
/// Parses a successful Sync Summary body inside the attempt, under the attempt time-out, streaming from the socket.
/// A body that breaks off surfaces here as a network error, so the retry strategy above can try again.
/// </summary>
internal sealed class SyncSummaryParsingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || CallState.Of(request) is not { } state)
        {
            return response;
        }

        try
        {
            state.Result = await SyncSummaryParser.ParseAsync(response.Content, request.Headers.Authorization?.Parameter, cancellationToken).ConfigureAwait(false);

            // The body is consumed; an empty stand-in keeps HttpClient from trying to buffer it again.
            response.Content.Dispose();
            response.Content = EmptyContent();
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static ByteArrayContent EmptyContent() => new([]);
}
