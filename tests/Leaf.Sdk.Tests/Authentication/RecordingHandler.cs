using System.Collections.Concurrent;
using System.Text.Json;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>
/// Sits innermost in a client's chain and remembers every bearer token sent and every id_token a login answered, so a
/// test knows every secret that went over the wire.
/// </summary>
internal sealed class RecordingHandler(ConcurrentBag<string> tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization?.Parameter is { Length: > 0 } sent)
        {
            tokens.Add(sent);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri?.AbsolutePath == AuthStub.LoginPath && response.IsSuccessStatusCode)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            try
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (body.RootElement.TryGetProperty("id_token", out var issued) && issued.GetString() is { Length: > 0 } token)
                {
                    tokens.Add(token);
                }
            }
            catch (JsonException)
            {
                // Not a token answer; nothing to remember.
            }
        }

        return response;
    }
}
