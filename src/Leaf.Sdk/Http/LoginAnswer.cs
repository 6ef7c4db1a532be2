namespace Leaf.Sdk.Http;

/// <summary>
/// Reads a login answer inside the attempt that received it, under the attempt time-out, like
/// <see cref="SyncSummaryAnswer"/> does for the Sync Summary: the whole (small) body of a successful answer, the first
/// few kilobytes of an error's. The login that every waiting caller shares then always ends: a body that stalls fails
/// the attempt as a time-out, and one that breaks off fails it as a network error, both retried by the login's pipeline.
/// </summary>
internal static class LoginAnswer
{
    // Leaf's answer is {"id_token": "<JWT>"}, a few kilobytes at most; anything past this is not a login answer.
    internal const int MaxBodyBytes = 64 * 1024;

    /// <summary>Buffers the answer's body; on failure the response is disposed and the exception is the attempt's outcome.</summary>
    public static async ValueTask ReadAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            await SyncSummaryAnswer.BufferErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            SyncSummaryAnswer.Replace(response, await LeafErrors.ReadUpToAsync(response.Content, MaxBodyBytes, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception undecodable) when (LeafErrors.IsUndecodable(undecodable))
        {
            var error = LeafErrors.Undecompressable("the login", response.StatusCode, undecodable);
            response.Dispose();
            throw error;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
