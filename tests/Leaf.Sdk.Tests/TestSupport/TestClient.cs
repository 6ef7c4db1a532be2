using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>
/// A client built the standalone way or through <c>AddLeafSdk</c>, with the test's clock and logger, disposed with
/// everything it owns.
/// </summary>
public sealed class TestClient : IDisposable
{
    private readonly IDisposable _owner;

    private TestClient(IIntegrationsClient client, IDisposable owner)
    {
        Client = client;
        _owner = owner;
    }

    public IIntegrationsClient Client { get; }

    /// <summary>The token source the client uses, whichever way it was built.</summary>
    internal ILeafTokenSource TokenSource => Client switch
    {
        Leaf.Sdk.DependencyInjection.TypedIntegrationsClient typed => typed.Inner.TokenSource,
        _ => ((IntegrationsClient)Client).TokenSource,
    };

    /// <summary>
    /// Builds a client of <paramref name="kind"/> from <paramref name="options"/>; for DI, <paramref name="services"/>
    /// runs before <c>AddLeafSdk</c> and <paramref name="client"/> on the builder it returns.
    /// </summary>
    public static TestClient Create(
        ClientKind kind,
        LeafClientOptions options,
        TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null,
        Action<IServiceCollection>? services = null,
        Action<IHttpClientBuilder>? client = null)
    {
        time ??= TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        if (kind == ClientKind.Standalone)
        {
            var standalone = new IntegrationsClient(options, loggerFactory, time);
            return new TestClient(standalone, standalone);
        }

        var collection = new ServiceCollection();
        collection.AddSingleton(time);
        collection.AddSingleton(loggerFactory);
        services?.Invoke(collection);
        var builder = collection.AddLeafSdk(o => Copy(options, o));
        client?.Invoke(builder);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new TestClient(provider.GetRequiredService<IIntegrationsClient>(), provider);
    }

    public void Dispose() => _owner.Dispose();

    internal static void Copy(LeafClientOptions from, LeafClientOptions to)
    {
        to.BaseAddress = from.BaseAddress;
        to.AccessToken = from.AccessToken;
        to.Username = from.Username;
        to.Password = from.Password;
        to.RememberMe = from.RememberMe;
        to.TokenSource = from.TokenSource;
        to.MaxRetries = from.MaxRetries;
        to.RetryBaseDelay = from.RetryBaseDelay;
        to.AttemptTimeout = from.AttemptTimeout;
        to.TotalTimeout = from.TotalTimeout;
        to.EnableCircuitBreaker = from.EnableCircuitBreaker;
    }
}
