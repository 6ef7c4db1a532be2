using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round7Options;

/// <summary>
/// The SDK binds configuration by hand (no reflection), copies options with Clone and describes them with ToString: a
/// setting added to LeafClientOptions and forgotten in one of the three would be silently ignored from appsettings.json,
/// lost by the copy, or missing from the description. These fail until the new setting is handled everywhere.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class EverySettingTests
{
    // Every setting with a value unlike its default, as configuration holds it and as code sets it. A new setting
    // belongs here; TokenSource is code only.
    private static readonly Dictionary<string, (string Text, object Value)> NonDefault = new()
    {
        [nameof(LeafClientOptions.BaseAddress)] = ("https://leaf.gateway.example/v2/", new Uri("https://leaf.gateway.example/v2/")),
        [nameof(LeafClientOptions.AccessToken)] = (R7Config.Token, R7Config.Token),
        [nameof(LeafClientOptions.Username)] = ("api@example.com", "api@example.com"),
        [nameof(LeafClientOptions.Password)] = ("pw-r7-1e9d", "pw-r7-1e9d"),
        [nameof(LeafClientOptions.RememberMe)] = ("false", false),
        [nameof(LeafClientOptions.MaxRetries)] = ("7", 7),
        [nameof(LeafClientOptions.RetryBaseDelay)] = ("00:00:00.125", TimeSpan.FromMilliseconds(125)),
        [nameof(LeafClientOptions.AttemptTimeout)] = ("00:00:03", TimeSpan.FromSeconds(3)),
        [nameof(LeafClientOptions.TotalTimeout)] = ("00:00:33", TimeSpan.FromSeconds(33)),
        [nameof(LeafClientOptions.EnableCircuitBreaker)] = ("false", false),
    };

    private static readonly string[] CodeOnly = [nameof(LeafClientOptions.TokenSource)];

    private static IEnumerable<PropertyInfo> Settings() =>
        typeof(LeafClientOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    [Test]
    public void Every_setting_is_listed_here()
    {
        var unlisted = Settings().Select(p => p.Name).Except(NonDefault.Keys).Except(CodeOnly);

        Assert.That(unlisted, Is.Empty, "add the new setting to NonDefault, and to the binder, ToString and the README");
    }

    [Test]
    public void The_binder_reads_every_setting_from_configuration()
    {
        var options = new LeafClientOptions();
        var section = R7Config.Section(NonDefault.Select(s => (s.Key, (string?)s.Value.Text)).ToArray());

        Microsoft.Extensions.DependencyInjection.LeafClientOptionsBinder.Bind(section, options);

        Assert.Multiple(() =>
        {
            foreach (var (name, (_, value)) in NonDefault)
            {
                Assert.That(typeof(LeafClientOptions).GetProperty(name)!.GetValue(options), Is.EqualTo(value), name);
            }
        });
    }

    [Test]
    public void Keys_are_read_whatever_their_case_as_environment_variables_and_the_command_line_give_them()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("LEAF:MAXRETRIES", "5"), new("leaf:attempttimeout", "00:00:04")])
            .AddCommandLine(["--Leaf:EnableCircuitBreaker=False", "--Leaf:AccessToken", R7Config.Token])
            .Build();

        var (options, error) = R7Config.Resolve(s => s.AddLeafSdk(configuration.GetSection(LeafClientOptions.SectionName)));

        Assert.That(error, Is.Null);
        Assert.That(options!.MaxRetries, Is.EqualTo(5));
        Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(4)));
        Assert.That(options.EnableCircuitBreaker, Is.False);
        Assert.That(options.AccessToken, Is.EqualTo(R7Config.Token));
    }

    [Test]
    public void Clone_copies_every_setting()
    {
        var options = new LeafClientOptions { TokenSource = new NoTokens() };
        foreach (var (name, (_, value)) in NonDefault)
        {
            typeof(LeafClientOptions).GetProperty(name)!.SetValue(options, value);
        }

        var copy = options.Clone();

        Assert.That(copy, Is.Not.SameAs(options));
        Assert.Multiple(() =>
        {
            foreach (var property in Settings())
            {
                Assert.That(property.GetValue(copy), Is.EqualTo(property.GetValue(options)), property.Name);
            }
        });
    }

    [Test]
    public void ToString_names_every_setting_but_shows_no_secret()
    {
        var options = new LeafClientOptions();
        foreach (var (name, (_, value)) in NonDefault)
        {
            typeof(LeafClientOptions).GetProperty(name)!.SetValue(options, value);
        }

        var text = options.ToString();

        Assert.Multiple(() =>
        {
            foreach (var name in NonDefault.Keys.Except([nameof(LeafClientOptions.AccessToken), nameof(LeafClientOptions.Username), nameof(LeafClientOptions.Password)]))
            {
                Assert.That(text, Does.Contain(name + " = "), name);
            }

            Assert.That(text, Does.Not.Contain(R7Config.Token).And.Not.Contain("pw-r7-1e9d"));
        });
    }

    private sealed class NoTokens : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult("r7-source-token");
    }
}
