using System.Text;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>The retry and time-out settings: defaults, binding from appsettings.json, and validation messages.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ResilienceOptionsTests
{
    private static readonly object[] InvalidSettings =
    [
        new object[] { (Action<LeafClientOptions>)(o => o.MaxRetries = -1), "Leaf:MaxRetries is -1: use 0 (no retries) to 10." },
        new object[] { (Action<LeafClientOptions>)(o => o.MaxRetries = 11), "Leaf:MaxRetries is 11: use 0 (no retries) to 10." },
        new object[] { (Action<LeafClientOptions>)(o => o.RetryBaseDelay = TimeSpan.FromSeconds(-1)), "Leaf:RetryBaseDelay is -00:00:01: use a delay from 00:00:00 to 00:01:00." },
        new object[] { (Action<LeafClientOptions>)(o => o.RetryBaseDelay = TimeSpan.FromMinutes(2)), "Leaf:RetryBaseDelay is 00:02:00: use a delay from 00:00:00 to 00:01:00." },
        new object[] { (Action<LeafClientOptions>)(o => o.AttemptTimeout = TimeSpan.Zero), "Leaf:AttemptTimeout is 00:00:00: use a time-out from 00:00:00.010 to 1.00:00:00 (24 hours)." },
        new object[] { (Action<LeafClientOptions>)(o => o.AttemptTimeout = Timeout.InfiniteTimeSpan), "Leaf:AttemptTimeout is Timeout.InfiniteTimeSpan (no limit): use a time-out from 00:00:00.010 to 1.00:00:00 (24 hours)." },
        new object[] { (Action<LeafClientOptions>)(o => o.TotalTimeout = Timeout.InfiniteTimeSpan), "Leaf:TotalTimeout is Timeout.InfiniteTimeSpan (no limit): use a time-out from 00:00:00.010 to 1.00:00:00 (24 hours)." },
        new object[] { (Action<LeafClientOptions>)(o => o.RetryBaseDelay = Timeout.InfiniteTimeSpan), "Leaf:RetryBaseDelay is Timeout.InfiniteTimeSpan (no limit): use a delay from 00:00:00 to 00:01:00." },
        new object[] { (Action<LeafClientOptions>)(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(-2)), "Leaf:AttemptTimeout is -00:00:00.0020000: use a time-out from 00:00:00.010 to 1.00:00:00 (24 hours)." },
        new object[] { (Action<LeafClientOptions>)(o => o.TotalTimeout = TimeSpan.FromHours(25)), "Leaf:TotalTimeout is 1.01:00:00: use a time-out from 00:00:00.010 to 1.00:00:00 (24 hours)." },
        new object[]
        {
            (Action<LeafClientOptions>)(o => (o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1))),
            "Leaf:AttemptTimeout (00:02:00) is longer than Leaf:TotalTimeout (00:01:00): an attempt cannot outlast the whole call; lower AttemptTimeout or raise TotalTimeout.",
        },
    ];

    [Test]
    public void Defaults_follow_the_design()
    {
        var options = new LeafClientOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.MaxRetries, Is.EqualTo(3));
            Assert.That(options.RetryBaseDelay, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(options.EnableCircuitBreaker, Is.True);
        });
    }

    [TestCaseSource(nameof(InvalidSettings))]
    public void Invalid_setting_is_refused_by_the_standalone_client_with_a_clear_message(Action<LeafClientOptions> change, string message)
    {
        var options = new LeafClientOptions { AccessToken = Stub.Token };
        change(options);

        Assert.That(() => new IntegrationsClient(options), Throws.ArgumentException.With.Message.Contains(message).And.Property("ParamName").EqualTo("options"));
    }

    [TestCaseSource(nameof(InvalidSettings))]
    public void Invalid_setting_is_refused_by_the_DI_registration_with_a_clear_message(Action<LeafClientOptions> change, string message)
    {
        var services = new ServiceCollection();
        services.AddLeafSdk(o =>
        {
            o.AccessToken = Stub.Token;
            change(o);
        });
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IOptions<LeafClientOptions>>().Value,
            Throws.TypeOf<OptionsValidationException>().With.Property(nameof(OptionsValidationException.Failures)).Contains(message));
    }

    [Test]
    public void Several_invalid_settings_are_all_reported_at_once()
    {
        var options = new LeafClientOptions { AccessToken = Stub.Token, MaxRetries = -2, RetryBaseDelay = TimeSpan.FromSeconds(-5), TotalTimeout = TimeSpan.Zero };

        Assert.That(() => new IntegrationsClient(options), Throws.ArgumentException
            .With.Message.Contains("Leaf:MaxRetries").And.Message.Contains("Leaf:RetryBaseDelay").And.Message.Contains("Leaf:TotalTimeout"));
    }

    [TestCase(0, 0.01, 0.01)]
    [TestCase(10, 60, 60)]
    [TestCase(3, 86400, 86400)]
    public void Edge_values_are_accepted(int retries, double attemptSeconds, double totalSeconds)
    {
        var options = new LeafClientOptions
        {
            AccessToken = Stub.Token,
            MaxRetries = retries,
            RetryBaseDelay = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.FromSeconds(attemptSeconds),
            TotalTimeout = TimeSpan.FromSeconds(totalSeconds),
        };

        Assert.That(() => new IntegrationsClient(options).Dispose(), Throws.Nothing);
    }

    [Test]
    public void Settings_bind_from_appsettings_json()
    {
        const string json = """
            {"Leaf": {"AccessToken": "t", "MaxRetries": 5, "RetryBaseDelay": "00:00:00.500", "AttemptTimeout": "00:00:05", "TotalTimeout": "00:02:00", "EnableCircuitBreaker": false}}
            """;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection(LeafClientOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<LeafClientOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.MaxRetries, Is.EqualTo(5));
            Assert.That(options.RetryBaseDelay, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.TotalTimeout, Is.EqualTo(TimeSpan.FromMinutes(2)));
            Assert.That(options.EnableCircuitBreaker, Is.False);
        });
    }

    [Test]
    public void A_setting_that_does_not_parse_names_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Leaf:AccessToken"] = "t",
            ["Leaf:MaxRetries"] = "three",
            ["Leaf:AttemptTimeout"] = "10 seconds",
        }).Build();
        var services = new ServiceCollection();
        services.AddLeafSdk(configuration.GetSection("Leaf"));
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IOptions<LeafClientOptions>>().Value,
            Throws.TypeOf<OptionsValidationException>()
                .With.Message.Contains("Leaf:MaxRetries 'three' is not a whole number.")
                .And.Message.Contains("Leaf:AttemptTimeout '10 seconds' is not a time span such as 00:00:10."));
    }
}
