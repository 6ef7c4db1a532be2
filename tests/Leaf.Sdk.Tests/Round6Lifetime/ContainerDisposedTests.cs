using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round6Lifetime;

/// <summary>
/// The client from AddLeafSdk outliving the service provider it came from (a background loop still calling while the
/// host shuts down). Before, the call failed with "The Sync Summary request failed unexpectedly:
/// ObjectDisposedException.", a LeafApiException logged as an Error, as if Leaf had done something wrong.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ContainerDisposedTests
{
    [Test]
    public async Task A_call_that_needs_a_login_after_the_provider_was_disposed_says_the_provider_was_disposed()
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddDays(30)));
        server.Resources(LeafJson.DocumentedExample);
        var provider = Provider(AuthStub.LoginOptions(server));
        var client = provider.GetRequiredService<IIntegrationsClient>();

        await provider.DisposeAsync();
        var error = await CatchAsync(client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<ObjectDisposedException>());
            Assert.That(error?.Message, Does.Contain("service provider").And.Contain("disposed"));
            Assert.That(server.LogEntries, Is.Empty);
        });
    }

    [Test]
    public async Task A_call_waiting_for_the_login_when_the_provider_is_disposed_says_the_provider_was_disposed()
    {
        using var server = Stub.Start();
        server.LoginIssues(AuthStub.Jwt(DateTimeOffset.UtcNow.AddDays(30)), delay: TimeSpan.FromMilliseconds(300));
        server.Resources(LeafJson.DocumentedExample);
        var provider = Provider(AuthStub.LoginOptions(server));
        var call = provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        await provider.DisposeAsync();
        var error = await CatchAsync(call);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<ObjectDisposedException>());
            Assert.That(error?.Message, Does.Contain("service provider").And.Contain("disposed"));
        });
    }

    [Test]
    public async Task A_client_with_a_token_keeps_working_after_the_provider_was_disposed()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var provider = Provider(Stub.Options(server));
        var client = provider.GetRequiredService<IIntegrationsClient>();
        await client.GetResourcesAsync();

        await provider.DisposeAsync();
        var response = await client.GetResourcesAsync();

        Assert.That(response.Summaries, Is.Not.Empty, "its handler chain was built and needs nothing more from the provider");
    }

    private static ServiceProvider Provider(LeafClientOptions options)
    {
        var services = new ServiceCollection();
        services.AddLeafSdk(o => TestClient.Copy(options, o));
        return services.BuildServiceProvider();
    }

    private static async Task<Exception?> CatchAsync(Task call)
    {
        try
        {
            await call;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
