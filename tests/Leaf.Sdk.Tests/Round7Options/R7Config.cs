using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round7Options;

/// <summary>Builds the DI client from a "Leaf" section or from code, and returns what start-up says.</summary>
internal static class R7Config
{
    public const string Token = "r7-options-token-4b2a";

    public static IConfigurationSection Section(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Leaf:" + v.Key, v.Value)))
            .Build()
            .GetSection("Leaf");

    /// <summary>The bound options, or the OptionsValidationException resolving the client threw.</summary>
    public static (LeafClientOptions? Options, OptionsValidationException? Error) Resolve(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IIntegrationsClient>();
            return (provider.GetRequiredService<IOptions<LeafClientOptions>>().Value, null);
        }
        catch (OptionsValidationException error)
        {
            return (null, error);
        }
    }

    public static (LeafClientOptions? Options, OptionsValidationException? Error) FromSection(params (string Key, string? Value)[] values) =>
        Resolve(s => s.AddLeafSdk(Section(values)));

    public static ArgumentException? Standalone(LeafClientOptions options)
    {
        try
        {
            new IntegrationsClient(options).Dispose();
            return null;
        }
        catch (ArgumentException error)
        {
            return error;
        }
    }
}
