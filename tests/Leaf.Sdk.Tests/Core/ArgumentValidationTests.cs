using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Core;

/// <summary>Filters the caller got wrong fail at once, naming the parameter, and nothing reaches Leaf.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ArgumentValidationTests
{
    private static readonly ClientKind[] Kinds = [ClientKind.Standalone, ClientKind.DependencyInjection];

    [Test]
    public async Task A_provider_filter_that_is_Unknown_or_undefined_is_refused_before_any_request(
        [ValueSource(nameof(Kinds))] ClientKind kind,
        [Values(Provider.Unknown, (Provider)999, (Provider)(-1), (Provider)10)] Provider provider)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Client.GetResourcesAsync(provider));

        Assert.That(error!.ParamName, Is.EqualTo("provider"));
        Assert.That(error!.ActualValue, Is.EqualTo(provider));
        Assert.That(error!.Message, Does.Contain("known provider"));
        Assert.That(server.LogEntries, Is.Empty);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_empty_Guid_as_user_filter_is_refused_before_any_request(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.Client.GetResourcesAsync(Provider.JohnDeere, Guid.Empty));

        Assert.That(error!.ParamName, Is.EqualTo("leafUserId"));
        Assert.That(error!.Message, Does.Contain("Guid.Empty"));
        Assert.That(server.LogEntries, Is.Empty);
    }

    [Test]
    public async Task A_disposed_standalone_client_refuses_calls()
    {
        using var server = Stub.Start();
        var client = new IntegrationsClient(Stub.Options(server));
        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetResourcesAsync());
        Assert.That(server.LogEntries, Is.Empty);
        Assert.DoesNotThrow(client.Dispose, "disposing twice is harmless");
    }

    [Test]
    public void The_standalone_constructor_refuses_null_arguments()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new IntegrationsClient(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("options"));
            Assert.That(
                () => new IntegrationsClient(new LeafClientOptions { AccessToken = "token-123456" }, null!, TimeProvider.System),
                Throws.ArgumentNullException.With.Property("ParamName").EqualTo("loggerFactory"));
            Assert.That(
                () => new IntegrationsClient(new LeafClientOptions { AccessToken = "token-123456" }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, null!),
                Throws.ArgumentNullException.With.Property("ParamName").EqualTo("timeProvider"));
        });
    }
}
