namespace Leaf.Sdk.AotProbe
{
    /// <summary>An in-process primary handler for the DI scenarios: answers each request from a function, records it.</summary>
    internal sealed class CannedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        private readonly List<string> _requests = [];

        public IReadOnlyList<string> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_requests)
            {
                _requests.Add($"{request.Method} {request.RequestUri}");
            }

            var response = answer(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }

    /// <summary>A token source of the user's whose token was pasted with a byte-order mark.</summary>
    internal sealed class PastedToken : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult("\uFEFF" + Probe.Token);
    }
}

namespace Microsoft.Extensions.Http.Resilience
{
    /// <summary>
    /// Stands in for the resilience handler an app adds to every HttpClient (AddStandardResilienceHandler): AddLeafSdk
    /// finds it by its type's full name, which must survive trimming.
    /// </summary>
    internal sealed class ResilienceHandler : DelegatingHandler
    {
        private static int s_sent;

        public static int Sent => Volatile.Read(ref s_sent);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref s_sent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
