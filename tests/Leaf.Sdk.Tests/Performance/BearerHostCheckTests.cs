using System.Net;
using Leaf.Sdk.Authentication;
using Leaf.Sdk.Serialization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leaf.Sdk.Tests.Performance;

/// <summary>The allocation-free host check and the reused header must not widen where a token goes.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class BearerHostCheckTests
{
    [TestCase("https://api.withleaf.io", "https://api.withleaf.io/services/integrations/api/resources", true)]
    [TestCase("https://api.withleaf.io", "https://API.withleaf.io/services/integrations/api/resources", true)]
    [TestCase("https://api.withleaf.io", "https://api.withleaf.io:443/services/integrations/api/resources", true)]
    [TestCase("http://127.0.0.1:5123", "http://127.0.0.1:5123/services/integrations/api/resources?provider=JohnDeere", true)]
    [TestCase("https://api.withleaf.io", "https://api.withleaf.io.evil.example/services/integrations/api/resources", false)]
    [TestCase("https://api.withleaf.io", "https://api.withleaf.io@evil.example/services/integrations/api/resources", false)]
    [TestCase("https://api.withleaf.io", "https://api.withleaf.io:8443/services/integrations/api/resources", false)]
    [TestCase("https://api.withleaf.io", "http://api.withleaf.io/services/integrations/api/resources", false)]
    [TestCase("http://127.0.0.1:5123", "http://127.0.0.1:51234/services/integrations/api/resources", false)]
    [TestCase("http://127.0.0.1:5123", "http://127.0.0.1:5123@evil.example/", false)]
    public async Task A_token_goes_only_to_the_configured_scheme_host_and_port(string configured, string target, bool expectToken)
    {
        var inner = new RecordingHandler();
        using var handler = new BearerTokenHandler(new StaticTokenSource("secret-token"), new Uri(configured), NullLogger.Instance) { InnerHandler = inner };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target));
        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.That(inner.Authorization?.ToString(), expectToken ? Is.EqualTo("Bearer secret-token") : Is.Null);
    }

    [Test]
    public async Task A_rotated_token_replaces_the_reused_header()
    {
        var source = new RotatingTokenSource { Token = "first" };
        var inner = new RecordingHandler();
        using var handler = new BearerTokenHandler(source, new Uri("https://api.withleaf.io"), NullLogger.Instance) { InnerHandler = inner };
        using var invoker = new HttpMessageInvoker(handler);
        var seen = new List<string?>();
        foreach (var token in new[] { "first", "first", "second" })
        {
            source.Token = token;
            using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.withleaf.io/services/integrations/api/resources");
            using var response = await invoker.SendAsync(request, CancellationToken.None);
            seen.Add(inner.Authorization?.Parameter);
        }

        Assert.That(seen, Is.EqualTo(new[] { "first", "first", "second" }));
    }

    [Test]
    public async Task A_parse_error_still_quotes_the_start_of_the_body_with_a_pooled_prefix()
    {
        using var content = new StringContent("{\"message\":\"SUCCESS\",\"summaries\":[{\"provider\":42}]}");

        var error = await Assert.ThrowsAsync<LeafApiException>(async () => await SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None));

        Assert.That(error?.ResponseExcerpt, Does.StartWith("{\"message\":\"SUCCESS\""));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public System.Net.Http.Headers.AuthenticationHeaderValue? Authorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorization = request.Headers.Authorization;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    private sealed class RotatingTokenSource : ILeafTokenSource
    {
        public string Token { get; set; } = string.Empty;

        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult(Token);
    }
}
