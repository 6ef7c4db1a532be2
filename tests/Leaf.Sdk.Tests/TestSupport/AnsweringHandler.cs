namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>
/// Answers every request itself with a 200 and <paramref name="body"/> as JSON, as a cache or a test double of the
/// user's would; placed above the SDK's handlers, nothing reaches the SDK's.
/// </summary>
internal sealed class AnsweringHandler(string body) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            RequestMessage = request,
        });
}
