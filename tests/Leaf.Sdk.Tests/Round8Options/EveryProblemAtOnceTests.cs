using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round8Options;

/// <summary>
/// A value configuration held that could not be read stopped start-up before the validator ran: a user with three
/// mistakes restarted the app three times to learn of them. One start-up failure now lists every problem.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class EveryProblemAtOnceTests
{
    private static readonly (string Key, string? Value)[] FiveMistakes =
    [
        ("Leaf:MaxRetries", "three"),                    // not a number
        ("Leaf:AttemptTimeout", "10 seconds"),           // not a time span
        ("Leaf:TotalTimeout", "30"),                     // a bare number: 30 days
        ("Leaf:BaseAddress", "http://leaf.example.com"), // readable, but refused by the validator
        ("Leaf:RetryBaseDelay", "00:05:00"),             // readable, but out of range
    ];

    private static readonly string[] Said =
    [
        "Leaf:MaxRetries 'three' is not a whole number",
        "Leaf:AttemptTimeout '10 seconds' is not a time span",
        "Leaf:TotalTimeout '30' is a bare number",
        "Leaf:BaseAddress 'http://leaf.example.com/' uses plain http://",
        "Leaf:RetryBaseDelay is 00:05:00",
        "No way to authenticate is set",
    ];

    [Test]
    public void Unreadable_values_and_invalid_ones_are_reported_in_one_failure()
    {
        var configuration = R8Config.Configuration(FiveMistakes);

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection("Leaf")));

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Failures, Has.Exactly(Said.Length).Items);
        Assert.Multiple(() =>
        {
            foreach (var said in Said)
            {
                Assert.That(error.Message, Does.Contain(said));
            }
        });
    }

    [Test]
    public async Task A_host_refuses_to_start_with_every_problem_in_its_message()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(FiveMistakes.Select(m => new KeyValuePair<string, string?>(m.Key, m.Value)));
        builder.Services.AddLeafSdk(builder.Configuration.GetSection("Leaf"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Failures, Has.Exactly(Said.Length).Items);
        Assert.That(error.Message, Does.Contain(Said[0]).And.Contain(Said[^1]));
    }

    // The setting that could not be read kept its default: measured against it, the user's own TotalTimeout would draw a
    // complaint about an AttemptTimeout of 00:00:10 they never wrote.
    [Test]
    public void A_value_that_could_not_be_read_is_not_checked_again_at_its_default()
    {
        var configuration = R8Config.Configuration(("Leaf:AccessToken", R8Config.Token), ("Leaf:AttemptTimeout", "soon"), ("Leaf:TotalTimeout", "00:00:05"));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection("Leaf")));

        Assert.That(error?.Failures, Is.EqualTo(new[] { "Leaf:AttemptTimeout 'soon' is not a time span such as 00:00:10." }));
    }

    [Test]
    public void The_secret_in_an_unreadable_address_stays_out_of_the_combined_message()
    {
        var configuration = R8Config.Configuration(("Leaf:BaseAddress", "https://user:pw-r8-55e1@"), ("Leaf:MaxRetries", "x"), ("Leaf:AccessToken", R8Config.Token));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection("Leaf")));

        Assert.That(error?.Failures, Has.Exactly(2).Items);
        Assert.That(error!.Message, Does.Not.Contain("pw-r8-55e1").And.Not.Contain(R8Config.Token));
    }

    // A library and the app may both call AddLeafSdk with the same section: its one mistake is one line.
    [Test]
    public void A_section_bound_twice_reports_its_unreadable_value_once()
    {
        var configuration = R8Config.Configuration(("Leaf:AccessToken", R8Config.Token), ("Leaf:MaxRetries", "three"));

        var error = R8Config.Refusal(s =>
        {
            s.AddLeafSdk(configuration.GetSection("Leaf"));
            s.AddLeafSdk(configuration.GetSection("Leaf"));
        });

        Assert.That(error?.Failures, Is.EqualTo(new[] { "Leaf:MaxRetries 'three' is not a whole number." }));
    }

    [Test]
    public void Good_settings_bind_as_before()
    {
        var configuration = R8Config.Configuration(("Leaf:AccessToken", R8Config.Token), ("Leaf:MaxRetries", "5"), ("Leaf:TotalTimeout", "00:00:30"));

        var error = R8Config.Refusal(s => s.AddLeafSdk(configuration.GetSection("Leaf")));

        Assert.That(error, Is.Null);
    }
}
