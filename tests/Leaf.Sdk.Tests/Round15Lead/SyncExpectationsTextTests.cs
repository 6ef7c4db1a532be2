namespace Leaf.Sdk.Tests.Round15Lead;

/// <summary>
/// <see cref="SyncExpectations.ToString"/> says what is expected in one line: logging the expectations a health check
/// runs with printed <c>Leaf.Sdk.SyncExpectations</c>.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SyncExpectationsTextTests
{
    [Test]
    public void By_default_only_the_sync_age_is_expected()
    {
        Assert.That(new SyncExpectations().ToString(), Is.EqualTo("Expect a sync within 24 h"));
    }

    [Test]
    public void The_documented_example_reads_as_documented()
    {
        var expectations = new SyncExpectations
        {
            ExpectedProviders = { Provider.JohnDeere, Provider.ClimateFieldView },
            MinimumFields = 10,
            MaxSyncAge = TimeSpan.FromHours(6),
        }.RequireAtLeast(Provider.JohnDeere, FmisLevels.Grower, 2);

        Assert.That(
            expectations.ToString(),
            Is.EqualTo("Expect a sync within 6 h; providers John Deere, Climate FieldView; at least 10 fields; John Deere at least 2 growers"));
    }

    [Test]
    public void Providers_come_in_the_enum_s_order_whatever_order_they_were_added_in()
    {
        var first = new SyncExpectations { ExpectedProviders = { Provider.ClimateFieldView, Provider.JohnDeere } }
            .RequireAtLeast(Provider.ClimateFieldView, FmisLevels.Field, 1)
            .RequireAtLeast(Provider.JohnDeere, FmisLevels.Field, 1);
        var second = new SyncExpectations { ExpectedProviders = { Provider.JohnDeere, Provider.ClimateFieldView } }
            .RequireAtLeast(Provider.JohnDeere, FmisLevels.Field, 1)
            .RequireAtLeast(Provider.ClimateFieldView, FmisLevels.Field, 1);

        Assert.That(first.ToString(), Is.EqualTo(second.ToString()));
    }

    [Test]
    public void Every_minimum_is_given_with_its_own_plural_and_per_provider_ones_are_grouped()
    {
        var expectations = new SyncExpectations { MinimumGrowers = 1, MinimumFarms = 0, MinimumFields = 2, MaxSyncAge = TimeSpan.FromMilliseconds(500) }
            .RequireAtLeast(Provider.JohnDeere, FmisLevels.Field, 1)
            .RequireAtLeast(Provider.JohnDeere, FmisLevels.Grower, 3);

        Assert.That(
            expectations.ToString(),
            Is.EqualTo("Expect a sync within 500 ms; at least 1 grower, 0 farms, 2 fields; John Deere at least 3 growers, 1 field"));
    }

    [Test]
    public void A_provider_the_checks_would_refuse_is_still_printed_not_thrown()
    {
        // ExpectedProviders takes any value; the checks refuse Unknown or a number outside the enum, ToString must not.
        var expectations = new SyncExpectations { ExpectedProviders = { (Provider)999, Provider.Unknown } };

        Assert.That(expectations.ToString(), Is.EqualTo("Expect a sync within 24 h; providers Unknown, 999"));
    }
}
