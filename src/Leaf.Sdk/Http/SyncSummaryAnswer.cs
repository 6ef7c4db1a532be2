using System.Runtime.CompilerServices;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Http;

/// <summary>
/// Reads a Sync Summary answer inside the attempt that received it, under the attempt time-out, streaming from the
/// socket. A body that breaks off surfaces here as a network error, so the retry strategy can try again. An error
/// answer's body is read here too (its first few kilobytes), so no body is ever read outside the time-outs.
/// </summary>
/// <remarks>
/// The resilience handler calls this at the end of each attempt (<see cref="LeafHttpPipeline.CreateResourceHandlers"/>).
/// It was a delegating handler of its own below the token handler; as a step of the attempt it costs no handler frame,
/// no task and, when the body is still on its way, no state machine box per call.
/// </remarks>
internal static class SyncSummaryAnswer
{
    /// <summary>
    /// Parses a successful answer into the call's <see cref="CallState"/>, or buffers the start of an error answer's
    /// body; on failure the response is disposed and the exception goes to the pipeline as the attempt's outcome.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask ReadAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            await BufferErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (CallState.Of(request) is not { } state)
        {
            return;
        }

        try
        {
            state.Result = await SyncSummaryParser.ParseAsync(response, request.Headers.Authorization?.Parameter, cancellationToken).ConfigureAwait(false);

            // The parser has read the body and closed its stream. The spent content stays in place until the response
            // is disposed: Refit reads its headers on the way out, and a stand-in (or none, for which Refit makes one)
            // costs more than the rest of this step.
        }
        catch (Exception undecodable) when (LeafErrors.IsUndecodable(undecodable))
        {
            var error = LeafErrors.Undecompressable("the Sync Summary request", response.StatusCode, undecodable);
            response.Dispose();
            throw error;
        }
        catch (LeafApiException unreadable) when (LeafErrors.StillEncoded(response) is { } coding)
        {
            var error = LeafErrors.NotDecoded("the Sync Summary request", response, coding, unreadable.Attempts, unreadable);
            response.Dispose();
            throw error;
        }
        catch (LeafApiException unreadable) when (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            var error = LeafErrors.WithSuccessStatus(unreadable, response);
            response.Dispose();
            throw error;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Replaces an error answer's body with its first few kilobytes, read here, under the attempt time-out, so a status
    /// line followed by a stalled body cannot hold the call once the pipeline's time-outs are behind it. The error message
    /// needs only the start of the body. A body that breaks off, or stalls until the attempt times out, is left empty:
    /// the status alone then decides what happens next (a 404 is not retried because its body was slow), and the
    /// caller's own cancellation is honoured by the client, which checks it before it reports the status.
    /// </summary>
    internal static async Task BufferErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await LeafErrors.ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            body = [];
        }
        catch
        {
            response.Dispose();
            throw;
        }

        Replace(response, body);
    }

    /// <summary>
    /// Puts <paramref name="body"/> in place of the response's content, with the original content headers (but its
    /// length), and disposes the original.
    /// </summary>
    internal static void Replace(HttpResponseMessage response, byte[] body)
    {
        var original = response.Content;
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
}
