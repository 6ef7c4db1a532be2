using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round9Parity;

/// <summary>
/// README: a reload changes the access token only; every other setting is read when the first client is resolved.
/// The time-outs, which a DI user is most likely to change in a running app, hold to that, and the message of a
/// time-out names the value in force, not the reloaded one.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ReloadedTimeoutTests
{
    [Test]
    public async Task Shorter_time_outs_reloaded_after_the_first_client_change_nothing()
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(500)).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
        var (configuration, provider) = Configured(server, attempt: "00:00:10", total: "00:00:20");
        await using var _ = provider;
        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        configuration["Leaf:AttemptTimeout"] = "00:00:00.1";
        configuration["Leaf:TotalTimeout"] = "00:00:00.2";
        configuration.Reload();
        var response = await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_time_out_after_a_reload_names_the_time_out_in_force()
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(800)).WithBody(LeafJson.DocumentedExample));
        var (configuration, provider) = Configured(server, attempt: "00:00:00.2", total: "00:00:05");
        await using var _ = provider;
        var client = provider.GetRequiredService<IIntegrationsClient>();

        configuration["Leaf:AttemptTimeout"] = "00:00:10";
        configuration["Leaf:TotalTimeout"] = "00:00:30";
        configuration.Reload();
        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.GetResourcesAsync());

        Assert.That(error!.Message, Does.Contain("AttemptTimeout (0.2 s)").Or.Contain("AttemptTimeout (200 ms)"), error.Message);
    }

    private static (IConfigurationRoot Configuration, ServiceProvider Provider) Configured(WireMock.Server.WireMockServer server, string attempt, string total)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Leaf:BaseAddress"] = server.Url,
            ["Leaf:AccessToken"] = Stub.Token,
            ["Leaf:MaxRetries"] = "0",
            ["Leaf:AttemptTimeout"] = attempt,
            ["Leaf:TotalTimeout"] = total,
        }).Build();
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection("Leaf"));
        return (configuration, services.BuildServiceProvider());
    }
}
