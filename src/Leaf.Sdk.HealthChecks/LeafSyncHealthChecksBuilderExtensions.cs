using Leaf.Sdk;
using Leaf.Sdk.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Leaf sync health check.</summary>
public static class LeafSyncHealthChecksBuilderExtensions
{
    /// <summary>The default name of the health check: <c>leaf-sync</c>.</summary>
    public const string DefaultName = "leaf-sync";

    /// <summary>
    /// Adds a health check that runs the Leaf sync checks for the configured Leaf users: any error finding reports
    /// <paramref name="failureStatus"/> (Unhealthy by default), any warning Degraded (never worse than
    /// <paramref name="failureStatus"/>: Healthy when that is Healthy), and a failed Leaf call
    /// <paramref name="failureStatus"/> with the exception's message. The findings are in the result's data under
    /// <c>findings</c>. Requires <c>AddLeafSdk</c>, or an <see cref="IIntegrationsClient"/> of your own registered (a fake
    /// in your tests).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Sets the Leaf users and expectations; with none, every Leaf user is checked against the defaults.</param>
    /// <param name="name">The check's name; give each check its own when adding several.</param>
    /// <param name="failureStatus">The status for errors and failed calls; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter health checks by.</param>
    /// <param name="timeout">
    /// How long the check may run; none when <see langword="null"/>. When it runs out, the check reports
    /// <paramref name="failureStatus"/> as <see cref="HealthCheckService"/> reports any time-out; cancellation by the
    /// service itself (the app stopping, say) propagates as <see cref="OperationCanceledException"/>.
    /// </param>
    /// <remarks>
    /// The settings are checked when the host starts (<c>ValidateOnStart</c>), as <c>AddLeafSdk</c>'s are: a Leaf user id
    /// of <see cref="Guid.Empty"/>, an expected provider that is not known, or no <see cref="IIntegrationsClient"/>
    /// registered, stops the host with a message naming the check. Where no host starts (a service provider built by
    /// hand), the check reports them as its failure instead.
    /// </remarks>
    /// <returns>The builder, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is empty or white space, or another <c>AddLeafSync</c> on these services already took it
    /// (names compare ignoring case, as health check names do).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="failureStatus"/> is not a defined <see cref="HealthStatus"/>, or <paramref name="timeout"/> is zero or
    /// negative (other than <see cref="Timeout.InfiniteTimeSpan"/>). Nothing is registered then.
    /// </exception>
    /// <example>
    /// <code>
    /// services.AddLeafSdk(configuration.GetSection("Leaf"));
    /// services.AddHealthChecks().AddLeafSync(o =>
    /// {
    ///     o.LeafUserIds.Add(leafUserId);
    ///     o.Expectations.ExpectedProviders.Add(Provider.JohnDeere);
    /// });
    /// </code>
    /// </example>
    public static IHealthChecksBuilder AddLeafSync(
        this IHealthChecksBuilder builder,
        Action<LeafSyncHealthCheckOptions>? configure = null,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (failureStatus is { } status && status is not (HealthStatus.Unhealthy or HealthStatus.Degraded or HealthStatus.Healthy))
        {
            // Taken, a check with errors reported it, and a health report's aggregate (the lowest status wins) read it as
            // Healthy; ASP.NET Core's health endpoint has no HTTP status for it.
            throw new ArgumentOutOfRangeException(nameof(failureStatus), status, "Pass Unhealthy, Degraded or Healthy, or null for Unhealthy.");
        }

        // Checked here, not only by HealthCheckRegistration: by then the check's options and their validation were
        // registered, half a check that a caught refusal left behind.
        if (timeout is { } limit && limit <= TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), limit, "Pass a positive time-out, Timeout.InfiniteTimeSpan or null for none.");
        }

        // HealthCheckService refuses two checks of one name (ignoring case), but only when the checks first run: the
        // app started, and every probe of its health endpoint failed, far from the line at fault.
        // Keyed descriptors are skipped: the validator is never registered keyed. (Reading a keyed descriptor's
        // ImplementationInstance threw on DI 8.0's first releases; it is null since dotnet/runtime#105776.)
        if (builder.Services.Select(d => d.IsKeyedService ? null : d.ImplementationInstance as LeafSyncHealthCheckOptionsValidator)
            .FirstOrDefault(v => string.Equals(v?.Name, name, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            throw new ArgumentException($"A Leaf sync health check named '{taken.Name}' is already added: give each AddLeafSync a name of its own (the name parameter), as health checks need distinct names.", nameof(name));
        }

        var options = builder.Services.AddOptions<LeafSyncHealthCheckOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton<IValidateOptions<LeafSyncHealthCheckOptions>>(new LeafSyncHealthCheckOptionsValidator(name));

        // Without a client (AddLeafSdk forgotten) the check's factory threw on every run, which fails the whole health
        // report, the other checks' results with it. A container that cannot say what it holds is taken at its word.
        options.Validate<IServiceProvider>(
            static (_, services) => services.GetService<IServiceProviderIsService>() is not { } registered || registered.IsService(typeof(IIntegrationsClient)),
            $"Health check '{name}': no IIntegrationsClient is registered for it to call: add services.AddLeafSdk(...), or register an IIntegrationsClient of your own (a fake in tests).");
        options.ValidateOnStart();

        return builder.Add(new HealthCheckRegistration(
            name,
            sp => Create(sp, name),
            failureStatus,
            tags,
            timeout));
    }

    private static IHealthCheck Create(IServiceProvider services, string name)
    {
        // The settings first: their validation also says when there is no client, which GetRequiredService would throw.
        LeafSyncHealthCheckOptions options;
        try
        {
            options = services.GetRequiredService<IOptionsMonitor<LeafSyncHealthCheckOptions>>().Get(name);
        }
        catch (OptionsValidationException ex)
        {
            return new InvalidSettingsHealthCheck(ex);
        }

        var client = services.GetRequiredService<IIntegrationsClient>();
        return new LeafSyncHealthCheck(client, options, services.GetService<TimeProvider>() ?? TimeProvider.System);
    }
}
