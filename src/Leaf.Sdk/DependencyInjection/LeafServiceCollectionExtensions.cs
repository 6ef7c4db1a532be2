using Leaf.Sdk;
using Leaf.Sdk.DependencyInjection;
using Leaf.Sdk.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Leaf SDK in a service collection.</summary>
public static class LeafServiceCollectionExtensions
{
    /// <summary>
    /// The name of the <see cref="HttpClient"/> the SDK logs in with when it has Leaf credentials. The builder
    /// <c>AddLeafSdk</c> returns configures the Sync Summary calls only; a primary handler of your own (a proxy, a client
    /// certificate) must be set on this client as well, after <c>AddLeafSdk</c>, or the login goes without it.
    /// </summary>
    /// <example><code>services.AddHttpClient(LeafServiceCollectionExtensions.LoginHttpClientName).ConfigurePrimaryHttpMessageHandler(CreateHandler);</code></example>
    public const string LoginHttpClientName = "Leaf.Sdk.Login";

    /// <summary>
    /// Registers <see cref="IIntegrationsClient"/> as a typed <see cref="HttpClient"/>, with options bound from
    /// <paramref name="configuration"/> (conventionally the section <c>Leaf</c>) and validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding <see cref="LeafClientOptions"/>.</param>
    /// <returns>The typed client's builder, to add handlers of your own.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <example><code>services.AddLeafSdk(configuration.GetSection("Leaf"));</code></example>
    public static IHttpClientBuilder AddLeafSdk(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LeafClientOptions>().Configure(options => LeafClientOptionsBinder.Bind(configuration, options));
        services.AddSingleton<IOptionsChangeTokenSource<LeafClientOptions>>(new ConfigurationChangeTokenSource<LeafClientOptions>(configuration));
        services.AddSingleton(new BoundLeafConfiguration(configuration));
        return AddLeafSdkCore(services);
    }

    /// <summary>
    /// Registers <see cref="IIntegrationsClient"/> as a typed <see cref="HttpClient"/>, with options set in code and
    /// validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The typed client's builder, to add handlers of your own.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <example><code>services.AddLeafSdk(o => o.AccessToken = token);</code></example>
    public static IHttpClientBuilder AddLeafSdk(this IServiceCollection services, Action<LeafClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<LeafClientOptions>().Configure(configure);
        return AddLeafSdkCore(services);
    }

    private static IHttpClientBuilder AddLeafSdkCore(IServiceCollection services)
    {
        // A second AddLeafSdk only adds its options: the client, its handlers and its pipeline exist once.
        if (services.Any(d => d.ServiceType == typeof(LeafHttpPipeline)))
        {
            return services.AddHttpClient(LeafHttpPipeline.ClientName);
        }

        services.AddOptions<LeafClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LeafClientOptions>, LeafClientOptionsValidator>(sp =>
        {
            var bound = Bound(sp);
            var scoped = ScopedTokenSource(services);
            return new LeafClientOptionsValidator(
                registeredTokenSource: scoped is not null || sp.GetService<ILeafTokenSource>() is not null,
                LeafClientOptionsBinder.SettingName(bound),
                () => bound.SelectMany(LeafClientOptionsBinder.UnknownKeyNotes).Distinct(StringComparer.Ordinal),
                scoped);
        }));
        services.TryAddSingleton(TimeProvider.System);

        // A primary handler of the user's follows redirects by default: the login's password and the calls would follow.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Http.IHttpMessageHandlerBuilderFilter, RedirectRefusingFilter>());
        services.TryAddSingleton(sp =>
        {
            var monitor = sp.GetRequiredService<IOptionsMonitor<LeafClientOptions>>();
            var pipeline = new LeafHttpPipeline(
                monitor.CurrentValue.Clone(),
                sp.GetService<ILeafTokenSource>(),
                () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(LeafHttpPipeline.LoginClientName),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,

                // The token is read on every attempt, so one rotated in reloadable configuration needs no new client.
                () => monitor.CurrentValue.AccessToken);

            // A typo (MaxRetry for MaxRetries) would otherwise leave the default in force without a word.
            var logger = pipeline.LoggerFactory.CreateLogger("Leaf.Sdk.Configuration");
            foreach (var key in Bound(sp).SelectMany(LeafClientOptionsBinder.UnknownKeys).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                Leaf.Sdk.Diagnostics.Log.UnknownSetting(logger, key, LeafClientOptionsBinder.KnownKeys);
            }

            return pipeline;
        });

        var login = services.AddHttpClient(LeafHttpPipeline.LoginClientName)
            .ConfigurePrimaryHttpMessageHandler(static sp => LeafHttpPipeline.CreatePrimaryHandler(sp.GetRequiredService<LeafHttpPipeline>().ConnectTimeout))
            .ConfigureHttpClient((sp, client) => sp.GetRequiredService<LeafHttpPipeline>().ConfigureHttpClient(client))
            .RemoveAllLoggers()
            .RedactLoggedHeaders(static _ => true);
        AddHandlers(login, static pipeline => pipeline.CreateLoginHandlers());

        // IHttpClientFactory's default logging handlers are removed: the SDK logs each attempt itself (Leaf.Sdk.*
        // categories, the same for the standalone client), and those two handlers cost more per call than the rest of
        // the handler chain. A user who wants them back calls AddDefaultLogger() on the builder returned; header values
        // are redacted either way.
        var builder = services
            .AddHttpClient<IIntegrationsClient, TypedIntegrationsClient>(
                LeafHttpPipeline.ClientName,
                static (client, sp) => new TypedIntegrationsClient(new IntegrationsClient(client, sp.GetRequiredService<LeafHttpPipeline>())))
            .ConfigurePrimaryHttpMessageHandler(static sp => LeafHttpPipeline.CreatePrimaryHandler(sp.GetRequiredService<LeafHttpPipeline>().ConnectTimeout))
            .RemoveAllLoggers()
            .RedactLoggedHeaders(static _ => true);
        AddHandlers(builder, static pipeline => pipeline.CreateResourceHandlers());
        return builder;
    }

    /// <summary>
    /// The type of the <see cref="ILeafTokenSource"/> the services resolve, when it is registered as scoped. Read from the
    /// collection itself (the one the provider was built from) when the options are first validated: a provider says
    /// nothing of lifetimes, and the registration may come after <c>AddLeafSdk</c>.
    /// </summary>
    private static string? ScopedTokenSource(IServiceCollection services) =>
        services.LastOrDefault(static d => d.ServiceType == typeof(ILeafTokenSource) && !d.IsKeyedService) is { Lifetime: ServiceLifetime.Scoped } scoped
            ? scoped.ImplementationType?.Name ?? "registered with a factory"
            : null;

    /// <summary>The configurations AddLeafSdk bound, in order: for the names in start-up messages and the unknown keys.</summary>
    private static IConfiguration[] Bound(IServiceProvider services) =>
        [.. services.GetServices<BoundLeafConfiguration>().Select(b => b.Configuration)];

    /// <summary>A configuration AddLeafSdk binds, kept to report the keys in it the SDK does not know.</summary>
    private sealed record BoundLeafConfiguration(IConfiguration Configuration);

    // The same handler list as the standalone client, in the same order: the two cannot drift apart.
    private static void AddHandlers(IHttpClientBuilder builder, Func<LeafHttpPipeline, IEnumerable<DelegatingHandler>> handlers)
    {
        builder.ConfigureAdditionalHttpMessageHandlers((list, sp) =>
        {
            var pipeline = sp.GetRequiredService<LeafHttpPipeline>();
            RemoveStackedResilience(list, pipeline, builder.Name);
            var index = 0;
            foreach (var handler in handlers(pipeline))
            {
                list.Insert(index++, handler);
            }
        });
    }

    // The resilience handlers an app adds to every HttpClient (ConfigureHttpClientDefaults(http =>
    // http.AddStandardResilienceHandler()), as .NET Aspire's service defaults do) are in the list before the SDK's own:
    // stacked under the SDK's pipeline, their retries multiplied the SDK's (16 requests for one failing call) and their
    // time-outs cut the SDK's AttemptTimeout short. One resilience handler per client, as Microsoft's guidance says, and
    // what its RemoveAllResilienceHandlers does, found by name so the SDK needs no reference to that package. One added
    // on the builder AddLeafSdk returns comes after this and is kept.
    private static readonly string[] ResilienceHandlerTypes =
    [
        "Microsoft.Extensions.Http.Resilience.ResilienceHandler",
        "Microsoft.Extensions.Http.PolicyHttpMessageHandler",
    ];

    private static void RemoveStackedResilience(IList<DelegatingHandler> list, LeafHttpPipeline pipeline, string client)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (IsResilienceHandler(list[i].GetType()))
            {
                pipeline.ReportStackedResilienceRemoved(client, list[i].GetType().Name);
                list.RemoveAt(i);
            }
        }
    }

    private static bool IsResilienceHandler(Type? type)
    {
        for (; type is not null && type != typeof(DelegatingHandler); type = type.BaseType)
        {
            if (Array.IndexOf(ResilienceHandlerTypes, type.FullName) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
