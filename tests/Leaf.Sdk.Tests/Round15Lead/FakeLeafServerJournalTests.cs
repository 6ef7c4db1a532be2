using System.Net.Http.Headers;
using Leaf.Sdk.Testing;

namespace Leaf.Sdk.Tests.Round15Lead;

/// <summary>
/// <see cref="FakeLeafServer.Requests"/> keeps the latest requests, not every one: the <c>--serve</c> demo server answers
/// health probes for days, and its journal grew without end, as WireMock's own log had before it was switched off.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafServerJournalTests
{
    private static async Task<int> GetAsync(FakeLeafServer server, HttpClient http, int n)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, $"{FakeLeafServer.ResourcesPath}?page={n}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.AccessToken);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Test]
    public void The_journal_keeps_ten_thousand_requests_by_default()
    {
        Assert.That(new FakeLeafServerOptions().JournalCapacity, Is.EqualTo(10_000));
    }

    [Test]
    public async Task Past_its_capacity_the_journal_keeps_the_latest_requests_in_order()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false, JournalCapacity = 3 });
        using var http = new HttpClient();

        for (var n = 1; n <= 5; n++)
        {
            Assert.That(await GetAsync(server, http, n), Is.EqualTo(200));
        }

        Assert.That(server.Requests.Select(r => r.Query["page"]), Is.EqualTo(new[] { "3", "4", "5" }));
    }

    [Test]
    public async Task Concurrent_requests_past_its_capacity_leave_exactly_that_many()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false, JournalCapacity = 10 });
        using var http = new HttpClient();

        var statuses = await Task.WhenAll(Enumerable.Range(1, 64).Select(n => GetAsync(server, http, n)));

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(200));
            Assert.That(server.Requests, Has.Count.EqualTo(10));
            Assert.That(server.Requests.Select(r => r.Query["page"]), Is.Unique);
        });
    }

    [Test]
    public async Task A_capacity_of_one_keeps_the_last_request_alone()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false, JournalCapacity = 1 });
        using var http = new HttpClient();

        await GetAsync(server, http, 1);
        await GetAsync(server, http, 2);

        Assert.That(server.Requests.Single().Query["page"], Is.EqualTo("2"));
    }
}
