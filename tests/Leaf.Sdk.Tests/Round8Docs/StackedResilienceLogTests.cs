using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Leaf.Sdk.Tests.Round8Docs;

/// <summary>
/// README ("With dependency injection"): a resilience handler added to every HttpClient is left out of the SDK's clients
/// "with one Information log line for each client saying so (Leaf.Sdk.Resilience, event 10)". With credentials the SDK
/// has two clients, the Sync Summary calls and the login: two lines, however many calls and handler rotations follow.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class StackedResilienceLogTests
{
    [TestCase(false, new[] { "Leaf.Sdk" })]
    [TestCase(true, new[] { "Leaf.Sdk", "Leaf.Sdk.Login" })]
    public async Task Event_10_is_one_Information_line_per_client_in_Leaf_Sdk_Resilience(bool login, string[] clients)
    {
        using var server = FakeLeafServer.Start();
        var collector = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        var options = login ? server.CreateLoginOptions() : server.CreateClientOptions();
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = options.BaseAddress;
            o.AccessToken = options.AccessToken;
            o.Username = options.Username;
            o.Password = options.Password;
        });
        await using var provider = services.BuildServiceProvider();

        for (var i = 0; i < 2; i++)
        {
            await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync(leafUserId: DemoUsers.Healthy);
        }

        var events = collector.GetSnapshot().Where(r => r.Id.Id == 10 && r.Category == "Leaf.Sdk.Resilience").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Level), Is.All.EqualTo(LogLevel.Information));
            Assert.That(events.Select(e => System.Text.RegularExpressions.Regex.Match(e.Message, @"from its client (\S+):").Groups[1].Value).Order(StringComparer.Ordinal), Is.EqualTo(clients));
        });
    }
}
