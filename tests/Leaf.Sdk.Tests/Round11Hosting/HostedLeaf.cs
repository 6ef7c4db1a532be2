using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round9Cancel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round11Hosting;

/// <summary>
/// A Generic Host as an app builds one (no defaults read from disk or the environment), with the SDK registered through
/// <c>AddLeafSdk</c>, the container validated as in Development (ValidateOnBuild, ValidateScopes), every log record of
/// every category kept, and a clock nothing moves: a back-off, a Retry-After or a time-out can only end by cancellation.
/// </summary>
internal static class HostedLeaf
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>How long a test waits for something that is meant to happen at once; only a hang reaches it.</summary>
    public static readonly TimeSpan HangBound = TimeSpan.FromSeconds(20);

    public static LeafClientOptions Options(CancelServer server, bool login) => new()
    {
        BaseAddress = server.Url,
        AccessToken = login ? null : "static-token",
        Username = login ? AuthStub.Username : null,
        Password = login ? AuthStub.Password : null,
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromMinutes(1),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromHours(1),
        EnableCircuitBreaker = true,
    };

    public static (IHost Host, FakeLogCollector Logs) Build(
        LeafClientOptions options,
        Action<IServiceCollection>? services = null,
        TimeProvider? time = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        var logs = new FakeLogCollector();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddSingleton(time ?? new FakeTimeProvider(Epoch));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = HangBound);
        builder.Services.AddLeafSdk(o => TestSupport.TestClient.Copy(options, o));
        services?.Invoke(builder.Services);
        return (builder.Build(), logs);
    }

    /// <summary>Waits (polling; real time only bounds a hang) until <paramref name="condition"/> holds.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + HangBound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited in vain for {what}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Disposes <paramref name="host"/> (its service provider with it) and returns what that threw, if anything.</summary>
    public static async Task<Exception?> DisposeAsync(IHost host)
    {
        try
        {
            await ((IAsyncDisposable)host).DisposeAsync();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>Every record at Error or above, one line each, for an assertion message.</summary>
    public static IReadOnlyList<string> Errors(FakeLogCollector logs) =>
        [.. logs.GetSnapshot().Where(r => r.Level >= LogLevel.Error).Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception?.GetType().Name}")];
}
