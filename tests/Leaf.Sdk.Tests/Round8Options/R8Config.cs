using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round8Options;

/// <summary>Builds the DI client from configuration and returns what start-up says.</summary>
internal static class R8Config
{
    public const string Token = "r8-options-token-7c1d";

    public static IConfigurationRoot Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    /// <summary>The exception resolving the client threw, or <see langword="null"/> when it resolved.</summary>
    public static OptionsValidationException? Refusal(Action<IServiceCollection> register) => Round7Options.R7Config.Resolve(register).Error;
}
