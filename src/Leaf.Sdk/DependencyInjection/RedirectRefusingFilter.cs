using Leaf.Sdk.Http;
using Microsoft.Extensions.Http;

namespace Leaf.Sdk.DependencyInjection;

/// <summary>
/// Turns redirects off on a primary handler the user sets on the SDK's two clients (README: a proxy, a client
/// certificate). HttpClientHandler and SocketsHttpHandler follow redirects by default, and a 307 or 308 from Leaf's
/// address would then re-send the login, password and all, to whatever host the Location names, and answer a call from
/// there. A filter, not a builder action: it runs after every action, so also after the user's, however they are ordered.
/// </summary>
internal sealed class RedirectRefusingFilter : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name is LeafHttpPipeline.ClientName or LeafHttpPipeline.LoginClientName)
        {
            RefuseRedirects(builder.PrimaryHandler);
        }
    };

    private static void RefuseRedirects(HttpMessageHandler? handler)
    {
        // The handler that sends may sit under delegating handlers of the user's own.
        while (handler is DelegatingHandler { InnerHandler: { } inner })
        {
            handler = inner;
        }

        // A handler that has already sent a request cannot be changed (the setter throws), but IHttpClientFactory's own
        // metrics filter refuses such a handler already, as it sets MeterFactory on it.
        switch (handler)
        {
            case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler { AllowAutoRedirect: true } http:
                http.AllowAutoRedirect = false;
                break;
        }
    }
}
