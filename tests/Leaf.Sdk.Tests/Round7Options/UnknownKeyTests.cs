using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Leaf.Sdk.Tests.Round7Options;

/// <summary>
/// A typo in the Leaf section ("MaxRetry") left the default in force without a word. As with Microsoft's binder
/// (ErrorOnUnknownConfiguration is off by default) it is no error, but the SDK says so: a warning naming the key.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class UnknownKeyTests
{
    private static List<FakeLogRecord> WarningsFor(IConfiguration section)
    {
        var collector = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(collector)));
        services.AddLeafSdk(section);
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IIntegrationsClient>();
        _ = provider.GetRequiredService<IIntegrationsClient>();
        return collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).ToList();
    }

    [Test]
    public void A_misspelt_key_is_named_once_in_a_warning_and_its_value_is_not_shown()
    {
        var warnings = WarningsFor(R7Config.Section(("AccessToken", R7Config.Token), ("MaxRetry", "5"), ("Pasword", "pw-typo-r7")));

        Assert.That(warnings.Select(w => (w.Category, w.Id.Id)), Is.EqualTo(new[] { ("Leaf.Sdk.Configuration", 11), ("Leaf.Sdk.Configuration", 11) }));
        Assert.That(warnings[0].Message, Does.Contain("Leaf:MaxRetry").And.Contain("MaxRetries"));
        Assert.That(warnings[1].Message, Does.Contain("Leaf:Pasword"));
        Assert.That(string.Join(" ", warnings.Select(w => w.Message)), Does.Not.Contain("pw-typo-r7").And.Not.Contain(R7Config.Token));
    }

    [Test]
    public void Known_keys_in_any_case_warn_nothing()
    {
        var warnings = WarningsFor(R7Config.Section(("accesstoken", R7Config.Token), ("MAXRETRIES", "2"), ("BaseAddress", "https://api.withleaf.io"), ("RememberMe", "true"), ("RetryBaseDelay", "00:00:01"), ("AttemptTimeout", "00:00:05"), ("TotalTimeout", "00:00:30"), ("EnableCircuitBreaker", "true")));

        Assert.That(warnings, Is.Empty);
    }

    [Test]
    public void A_whole_configuration_holding_the_settings_at_its_top_warns_nothing_about_its_other_sections()
    {
        var root = new ConfigurationBuilder()
            .AddInMemoryCollection([new("AccessToken", R7Config.Token), new("Logging:LogLevel:Default", "Information")])
            .Build();

        Assert.That(WarningsFor(root), Is.Empty);
    }
}
