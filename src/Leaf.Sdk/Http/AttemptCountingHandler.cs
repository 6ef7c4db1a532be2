namespace Leaf.Sdk.Http;

/// <summary>
/// Counts each attempt of a request in its <see cref="CallState"/>. The Sync Summary client counts in its bearer-token
/// handler; the login has none, and without this its failures said they made no attempt at all.
/// </summary>
internal sealed class AttemptCountingHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        CallState.Of(request)?.BeginAttempt();
        return base.SendAsync(request, cancellationToken);
    }
}
