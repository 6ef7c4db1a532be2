using static Leaf.Sdk.Tests.TestSupport.SyncFixture;

namespace Leaf.Sdk.Tests.Round7Checks;

/// <summary>SyncExpectations: validation, defaults, and how minimums and expected providers apply.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ExpectationsTests
{
    [Test]
    public void Negative_minimums_are_refused_like_RequireAtLeast_refuses_them()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new SyncExpectations { MinimumGrowers = -1 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MinimumGrowers"));
            Assert.That(() => new SyncExpectations { MinimumFarms = -1 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MinimumFarms"));
            Assert.That(() => new SyncExpectations { MinimumFields = int.MinValue }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MinimumFields"));
        });
    }

    [Test]
    public void Zero_and_null_minimums_are_accepted()
    {
        var expectations = new SyncExpectations { MinimumGrowers = 0, MinimumFarms = null, MinimumFields = 0 };

        Assert.That((expectations.MinimumGrowers, expectations.MinimumFarms, expectations.MinimumFields), Is.EqualTo(((int?)0, (int?)null, (int?)0)));
    }

    [Test]
    public void A_negative_max_sync_age_is_refused_and_the_old_value_kept()
    {
        var expectations = new SyncExpectations();

        Assert.That(() => expectations.MaxSyncAge = TimeSpan.FromHours(-1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => expectations.MaxSyncAge = Timeout.InfiniteTimeSpan, Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(expectations.MaxSyncAge, Is.EqualTo(SyncExpectations.DefaultMaxSyncAge));
    }

    [Test]
    public void The_largest_max_sync_age_never_calls_a_sync_stale()
    {
        var expectations = new SyncExpectations { MaxSyncAge = TimeSpan.MaxValue };
        var ancient = Summary(Provider.Raven, 2, 2, 44) with { SyncReferenceTime = DateTimeOffset.MinValue };

        Assert.That(CheckUser(Response(ancient), expectations).Findings, Is.Empty);
    }

    [Test]
    public void Without_expected_providers_a_user_with_no_summary_is_NoSummaries_and_with_them_each_is_ProviderMissing()
    {
        var none = CheckUser(Response());
        var expected = CheckUser(Response(), new SyncExpectations { ExpectedProviders = { Provider.Trimble, Provider.JohnDeere } });

        Assert.Multiple(() =>
        {
            Assert.That(none.Findings.Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.NoSummaries }));
            Assert.That(expected.Findings.Select(f => (f.Code, f.Provider)), Is.EqualTo(new[]
            {
                (SyncFindingCode.ProviderMissing, Provider.JohnDeere),
                (SyncFindingCode.ProviderMissing, Provider.Trimble),
            }));
        });
    }

    [Test]
    public void An_expected_provider_is_found_whatever_case_Leaf_spells_it_in()
    {
        var cnhi = Summary(Provider.CNHI, 1, 1, 5) with { ProviderName = "CNHi" };

        var report = CheckUser(Response(cnhi), new SyncExpectations { ExpectedProviders = { Provider.CNHI } });

        Assert.That(report.Findings, Is.Empty);
    }

    [Test]
    public void A_minimum_of_zero_or_a_count_of_zero_is_never_below_scope()
    {
        // 0 fields is NoFields and 0 farms ExposedLevelEmpty already; BelowExpectedScope would say it twice.
        var report = CheckUser(Response(Summary(Provider.ClimateFieldView, null, 0, 25)), new SyncExpectations { MinimumFarms = 3, MinimumFields = 0 });

        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.ExposedLevelEmpty }));
    }

    [Test]
    public void A_minimum_for_an_unknown_provider_applies_to_its_fields_only()
    {
        var panorama = new SyncSummary { Provider = Provider.Unknown, ProviderName = "Panorama", LeafUserId = User, Growers = 1, Farms = 1, Fields = 4, SyncReferenceTime = Now };

        var report = CheckUser(Response(panorama), new SyncExpectations { MinimumGrowers = 5, MinimumFarms = 5, MinimumFields = 5 });

        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(new[] { SyncFindingCode.BelowExpectedScope, SyncFindingCode.UnknownProvider }));
        Assert.That(report.Findings[0].Message, Does.StartWith("Panorama reports 4 fields"));
    }

    [TestCase(Provider.ClimateFieldView, FmisLevels.Grower)]
    [TestCase(Provider.Stara, FmisLevels.Farm)]
    [TestCase(Provider.Sentera, FmisLevels.Grower)]
    public void A_minimum_at_a_level_the_provider_lacks_is_refused_since_it_would_never_be_checked(Provider provider, FmisLevels level)
    {
        Assert.That(
            () => new SyncExpectations().RequireAtLeast(provider, level, 2),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("level")
                .And.Message.Contains(provider.GetInfo().DisplayName).And.Message.Contains("never be checked"));
    }

    [Test]
    public void Every_level_a_provider_exposes_takes_a_minimum_that_is_checked()
    {
        foreach (var info in Providers.All)
        {
            foreach (var level in new[] { FmisLevels.Grower, FmisLevels.Farm, FmisLevels.Field }.Where(info.Exposes))
            {
                var expectations = new SyncExpectations().RequireAtLeast(info.Provider, level, 5);
                var summary = Summary(info.Provider, info.Exposes(FmisLevels.Grower) ? 9 : null, info.Exposes(FmisLevels.Farm) ? 9 : null, 9);
                summary = level switch
                {
                    FmisLevels.Grower => summary with { Growers = 2 },
                    FmisLevels.Farm => summary with { Farms = 2 },
                    _ => summary with { Fields = 2 },
                };

                var finding = CheckUser(Response(summary), expectations).Findings.Single();

                Assert.That((finding.Code, finding.Provider), Is.EqualTo((SyncFindingCode.BelowExpectedScope, info.Provider)), $"{info.Provider} {level}");
            }
        }
    }
}
