using System.Net;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.DependencyInjection;

[Parallelizable(ParallelScope.All)]
public sealed class AddLeafSdkTwiceTests
{
    [Test]
    public async Task Registering_twice_keeps_one_pipeline_so_one_retry_means_two_requests()
    {
        using var server = FakeLeafServer.Start();
        var options = server.CreateClientOptions();
        var services = new ServiceCollection();
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = options.BaseAddress;
            o.AccessToken = options.AccessToken;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        });
        services.AddLeafSdk(o => o.MaxRetries = 1);
        await using var provider = services.BuildServiceProvider();
        server.FailNext(10, HttpStatusCode.BadGateway);
        var client = provider.GetRequiredService<IIntegrationsClient>();

        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.GetResourcesAsync(leafUserId: DemoUsers.Healthy));

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(error.Attempts, Is.EqualTo(2));
            Assert.That(server.Requests, Has.Count.EqualTo(2), "one attempt and one retry: nested retry handlers would send 4");
        });
    }
}
