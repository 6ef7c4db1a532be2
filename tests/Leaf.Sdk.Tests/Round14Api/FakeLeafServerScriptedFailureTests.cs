using System.Net;
using Leaf.Sdk.Testing;

namespace Leaf.Sdk.Tests.Round14Api;

/// <summary>
/// <see cref="FakeLeafServer.FailNext"/> and <see cref="FakeLeafServer.RateLimitNext"/> with the counts and waits a test
/// writes for "an outage that does not end" or "a very long rate limit".
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafServerScriptedFailureTests
{
    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, FakeLeafServer server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, FakeLeafServer.ResourcesPath));
        request.Headers.Authorization = new("Bearer", server.AccessToken);
        return await http.SendAsync(request);
    }

    [Test]
    public async Task Fail_next_int_MaxValue_is_an_outage_that_does_not_end_and_returns_at_once()
    {
        // Before, FailNext queued one entry per failure: int.MaxValue entries, tens of gigabytes, and the test's host
        // ran out of memory (or hung) on the call that should only have set a switch.
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        server.FailNext(int.MaxValue, HttpStatusCode.BadGateway);
        using var http = new HttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await GetAsync(http, server);
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.BadGateway));
    }

    [Test]
    public async Task Rate_limit_next_int_MaxValue_refuses_every_request()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        server.RateLimitNext(int.MaxValue, TimeSpan.FromSeconds(7));
        using var http = new HttpClient();

        using var first = await GetAsync(http, server);
        using var second = await GetAsync(http, server);

        Assert.Multiple(() =>
        {
            Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests)));
            Assert.That(second.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
        });
    }

    [Test]
    public async Task Scripted_failures_are_served_in_the_order_they_were_scripted_then_the_server_serves()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        server.FailNext(2, HttpStatusCode.InternalServerError);
        server.FailNext(0);
        server.RateLimitNext(1, TimeSpan.FromSeconds(1));
        server.FailNext(1, HttpStatusCode.GatewayTimeout);
        using var http = new HttpClient();

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await GetAsync(http, server);
            statuses.Add((int)response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { 500, 500, 429, 504, 200 }));
    }

    [Test]
    public void A_retry_after_longer_than_HTTP_clients_read_is_refused()
    {
        // Retry-After is read as whole seconds into an int: "Retry-After: 2147483648" is a header .NET's HttpClient
        // cannot parse and drops, so the client never saw the wait the test asked for.
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => server.RateLimitNext(1, TimeSpan.FromSeconds(int.MaxValue + 1.0)));

        Assert.That(ex!.ParamName, Is.EqualTo("retryAfter"));
    }

    [Test]
    public async Task The_longest_retry_after_is_sent_and_read()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        server.RateLimitNext(1, TimeSpan.FromSeconds(int.MaxValue));
        using var http = new HttpClient();

        using var limited = await GetAsync(http, server);

        Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(int.MaxValue)));
    }
}
