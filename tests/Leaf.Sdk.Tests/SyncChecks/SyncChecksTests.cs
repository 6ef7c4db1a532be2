using static Leaf.Sdk.Tests.TestSupport.SyncFixture;

namespace Leaf.Sdk.Tests.SyncChecks;

[Parallelizable(ParallelScope.All)]
public sealed class SyncChecksTests
{
    private static SyncReport Check(SyncSummaryResponse response, SyncExpectations? expectations = null) =>
        Leaf.Sdk.SyncChecks.CheckUser(response, User, expectations, Clock());

    [Test]
    public void Healthy_summaries_give_no_findings()
    {
        var report = Check(Response(Summary(Provider.JohnDeere, 3, 7, 142), Summary(Provider.ClimateFieldView, null, 4, 86), Summary(Provider.Stara, null, null, 12)));

        Assert.Multiple(() =>
        {
            Assert.That(report.Findings, Is.Empty);
            Assert.That(report.IsHealthy, Is.True);
            Assert.That(report.HasErrors, Is.False);
            Assert.That(report.HasWarnings, Is.False);
            Assert.That(report.HighestSeverity, Is.Null);
            Assert.That(report.LeafUserId, Is.EqualTo(User));
            Assert.That(report.CheckedAt, Is.EqualTo(Now));
        });
    }

    [Test]
    public void Expected_provider_without_summary_is_an_error()
    {
        var report = Check(Response(Summary(Provider.JohnDeere, 3, 7, 142)), new SyncExpectations { ExpectedProviders = { Provider.JohnDeere, Provider.ClimateFieldView } });

        var finding = report.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.ProviderMissing));
            Assert.That(finding.Severity, Is.EqualTo(SyncFindingSeverity.Error));
            Assert.That(finding.Provider, Is.EqualTo(Provider.ClimateFieldView));
            Assert.That(finding.ProviderName, Is.EqualTo("ClimateFieldView"));
            Assert.That(finding.LeafUserId, Is.EqualTo(User));
            Assert.That(finding.Message, Does.Contain("Climate FieldView").And.Contain("Next:"));
            Assert.That(report.HasErrors, Is.True);
            Assert.That(report.IsHealthy, Is.False);
        });
    }

    [Test]
    public void Expected_providers_are_all_reported_when_the_user_has_no_summary()
    {
        var report = Check(Response(Summary(Provider.JohnDeere, 3, 7, 142, user: OtherUser)), new SyncExpectations { ExpectedProviders = { Provider.JohnDeere, Provider.Trimble } });

        Assert.That(report.Findings.Select(f => (f.Code, f.Provider)), Is.EquivalentTo(new[]
        {
            (SyncFindingCode.ProviderMissing, Provider.JohnDeere),
            (SyncFindingCode.ProviderMissing, Provider.Trimble),
        }));
    }

    [Test]
    public void A_user_with_no_summary_at_all_is_an_error()
    {
        var report = Check(Response());

        var finding = report.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.NoSummaries));
            Assert.That(finding.Severity, Is.EqualTo(SyncFindingSeverity.Error));
            Assert.That(finding.LeafUserId, Is.EqualTo(User));
            Assert.That(finding.Message, Does.Contain(User.ToString()));
        });
    }

    [Test]
    public void An_empty_account_is_an_error_when_checking_every_user()
    {
        var report = Leaf.Sdk.SyncChecks.Check(Response(), timeProvider: Clock());

        Assert.That(report.Findings.Single().Code, Is.EqualTo(SyncFindingCode.NoSummaries));
        Assert.That(report.Findings.Single().LeafUserId, Is.Null);
    }

    [Test]
    public void Zero_fields_is_an_error_and_hides_level_findings()
    {
        var report = Check(Response(Summary(Provider.Trimble, 1, 1, 0)));

        var finding = report.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.NoFields));
            Assert.That(finding.Severity, Is.EqualTo(SyncFindingSeverity.Error));
            Assert.That(finding.Provider, Is.EqualTo(Provider.Trimble));
            Assert.That(finding.Message, Does.Contain("0 fields").And.Contain("organizationDataSync"));
        });
    }

    [TestCase(FmisLevels.Grower)]
    [TestCase(FmisLevels.Farm)]
    public void Exposed_level_absent_while_fields_exist_is_a_warning(FmisLevels level)
    {
        var summary = level == FmisLevels.Grower ? Summary(Provider.JohnDeere, null, 3, 40) : Summary(Provider.JohnDeere, 2, null, 40);

        var finding = Check(Response(summary)).Findings.Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.ExposedLevelMissing));
            Assert.That(finding.Severity, Is.EqualTo(SyncFindingSeverity.Warning));
            Assert.That(finding.Message, Does.Contain(level.ToString().ToLowerInvariant()));
        });
    }

    [Test]
    public void Exposed_level_zero_while_fields_exist_is_a_warning()
    {
        var finding = Check(Response(Summary(Provider.ClimateFieldView, null, 0, 25))).Findings.Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.ExposedLevelEmpty));
            Assert.That(finding.Severity, Is.EqualTo(SyncFindingSeverity.Warning));
            Assert.That(finding.Message, Does.Contain("0 farms"));
        });
    }

    [Test]
    public void Absent_field_count_of_a_known_provider_is_a_warning()
    {
        var finding = Check(Response(Summary(Provider.Stara, null, null, null))).Findings.Single();

        Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.ExposedLevelMissing));
        Assert.That(finding.Message, Does.Contain("field count"));
    }

    [Test]
    public void Count_at_a_level_the_provider_does_not_expose_is_information()
    {
        var report = Check(Response(Summary(Provider.Sentera, null, 2, 15)));

        var finding = report.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.UnexpectedLevelCount));
            Assert.That(finding.Severity, Is.EqualTo(SyncFindingSeverity.Info));
            Assert.That(finding.Message, Does.Contain("2 farms"));
            Assert.That(report.IsHealthy, Is.True, "information alone is healthy");
            Assert.That(report.HighestSeverity, Is.EqualTo(SyncFindingSeverity.Info));
        });
    }

    [Test]
    public void Sync_older_than_allowed_is_a_warning()
    {
        var finding = Check(Response(Summary(Provider.Raven, 2, 2, 44, TimeSpan.FromDays(9)))).Findings.Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.SyncStale));
            Assert.That(finding.Severity, Is.EqualTo(SyncFindingSeverity.Warning));
            Assert.That(finding.Message, Does.Contain("9 days ago").And.Contain("24 h allowed"));
        });
    }

    [Test]
    public void Max_sync_age_is_configurable_and_exclusive()
    {
        var response = Response(Summary(Provider.Raven, 2, 2, 44, TimeSpan.FromHours(6)));

        Assert.Multiple(() =>
        {
            Assert.That(Check(response, new SyncExpectations { MaxSyncAge = TimeSpan.FromHours(6) }).Findings, Is.Empty);
            Assert.That(Check(response, new SyncExpectations { MaxSyncAge = TimeSpan.FromHours(5) }).Findings.Single().Code, Is.EqualTo(SyncFindingCode.SyncStale));
        });
    }

    [Test]
    public void Staleness_follows_the_time_provider()
    {
        var clock = Clock();
        var response = Response(Summary(Provider.Raven, 2, 2, 44, TimeSpan.FromHours(23)));
        Assert.That(Leaf.Sdk.SyncChecks.CheckUser(response, User, null, clock).Findings, Is.Empty);

        clock.Advance(TimeSpan.FromHours(2));

        Assert.That(Leaf.Sdk.SyncChecks.CheckUser(response, User, null, clock).Findings.Single().Code, Is.EqualTo(SyncFindingCode.SyncStale));
    }

    [Test]
    public void Missing_sync_time_is_a_warning()
    {
        var summary = Summary(Provider.JohnDeere, 3, 7, 142) with { SyncReferenceTime = null };

        var finding = Check(Response(summary)).Findings.Single();

        Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.SyncTimeMissing));
        Assert.That(finding.Severity, Is.EqualTo(SyncFindingSeverity.Warning));
    }

    [Test]
    public void Counts_below_the_expected_scope_are_warnings_with_the_data_sync_hint()
    {
        var expectations = new SyncExpectations { MinimumFields = 100 }.RequireAtLeast(Provider.JohnDeere, FmisLevels.Grower, 5);

        var report = Check(Response(Summary(Provider.JohnDeere, 3, 7, 142), Summary(Provider.ClimateFieldView, null, 4, 86)), expectations);

        Assert.That(report.Findings.Select(f => (f.Code, f.Provider)), Is.EquivalentTo(new[]
        {
            (SyncFindingCode.BelowExpectedScope, Provider.JohnDeere),
            (SyncFindingCode.BelowExpectedScope, Provider.ClimateFieldView),
        }));
        Assert.That(report.Findings.Select(f => f.Message), Has.All.Contain("SELECTED_ONLY").And.All.Contain("customDataSync"));
        Assert.That(report.Findings.Single(f => f.Provider == Provider.JohnDeere).Message, Does.Contain("3 growers").And.Contain("5 expected"));
    }

    [Test]
    public void Minimums_skip_levels_the_provider_does_not_expose()
    {
        var report = Check(Response(Summary(Provider.ClimateFieldView, null, 4, 86)), new SyncExpectations { MinimumGrowers = 1, MinimumFarms = 4 });

        Assert.That(report.Findings, Is.Empty);
    }

    [Test]
    public void Unknown_provider_is_information_suggesting_an_sdk_update()
    {
        var unknown = new SyncSummary { Provider = Provider.Unknown, ProviderName = "Panorama", LeafUserId = User, Growers = 1, Farms = 1, Fields = 6, SyncReferenceTime = Now };

        var finding = Check(Response(unknown)).Findings.Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Code, Is.EqualTo(SyncFindingCode.UnknownProvider));
            Assert.That(finding.Severity, Is.EqualTo(SyncFindingSeverity.Info));
            Assert.That(finding.ProviderName, Is.EqualTo("Panorama"));
            Assert.That(finding.Message, Does.Contain("update Leaf.Sdk"));
        });
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\t")]
    public void Provider_without_a_name_is_called_an_unnamed_provider(string providerName)
    {
        // No name, or only white space: a sentence that starts with the blank name would read "   is a provider ...".
        var nameless = new SyncSummary { Provider = Provider.Unknown, ProviderName = providerName, LeafUserId = User, Fields = 0 };

        var messages = Check(Response(nameless)).Findings.Select(f => f.Message).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(messages, Has.Count.EqualTo(3));
            Assert.That(messages, Has.All.StartWith("An unnamed provider "));
            Assert.That(messages, Has.None.Contains("knows " + providerName + "."));
            Assert.That(SyncComparison.ColumnName(nameless), Is.EqualTo(SyncComparison.Unnamed));
        });
    }

    [Test]
    public void Unknown_provider_still_gets_the_generic_checks()
    {
        var unknown = new SyncSummary { Provider = Provider.Unknown, ProviderName = "Valley", LeafUserId = User, Fields = 0 };

        var codes = Check(Response(unknown)).Findings.Select(f => f.Code);

        Assert.That(codes, Is.EquivalentTo(new[] { SyncFindingCode.UnknownProvider, SyncFindingCode.NoFields, SyncFindingCode.SyncTimeMissing }));
    }

    [Test]
    public void Findings_are_ordered_most_serious_first()
    {
        var report = Check(Response(Summary(Provider.Sentera, null, 2, 15), Summary(Provider.Raven, 2, 2, 44, TimeSpan.FromDays(3)), Summary(Provider.Trimble, 1, 1, 0)));

        Assert.That(report.Findings.Select(f => f.Severity), Is.EqualTo(new[] { SyncFindingSeverity.Error, SyncFindingSeverity.Warning, SyncFindingSeverity.Info }));
        Assert.That(report.HighestSeverity, Is.EqualTo(SyncFindingSeverity.Error));
        Assert.That(report.HasWarnings, Is.True);
    }

    [Test]
    public void Checking_one_user_ignores_the_others_and_checking_all_covers_each()
    {
        var response = Response(Summary(Provider.Trimble, 1, 1, 0, user: OtherUser), Summary(Provider.JohnDeere, 3, 7, 142));
        var expectations = new SyncExpectations { ExpectedProviders = { Provider.JohnDeere } };

        var one = Check(response, expectations);
        var all = Leaf.Sdk.SyncChecks.Check(response, expectations, Clock());

        Assert.That(one.Findings, Is.Empty);
        Assert.That(all.LeafUserId, Is.Null);
        Assert.That(all.Findings.Select(f => (f.Code, f.LeafUserId)), Is.EquivalentTo(new (SyncFindingCode, Guid?)[]
        {
            (SyncFindingCode.ProviderMissing, OtherUser),
            (SyncFindingCode.NoFields, OtherUser),
        }));
    }

    [Test]
    public void Report_keeps_the_response_it_came_from()
    {
        var response = Response(Summary(Provider.JohnDeere, 3, 7, 142));

        Assert.That(Check(response).Response, Is.SameAs(response));
    }

    [Test]
    public void Invalid_arguments_are_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Leaf.Sdk.SyncChecks.Check(null!), Throws.ArgumentNullException);
            Assert.That(() => Leaf.Sdk.SyncChecks.CheckUser(Response(), Guid.Empty), Throws.ArgumentException.With.Property("ParamName").EqualTo("leafUserId"));
            Assert.That(() => new SyncExpectations().RequireAtLeast(Provider.Unknown, FmisLevels.Field, 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new SyncExpectations().RequireAtLeast(Provider.JohnDeere, FmisLevels.Grower | FmisLevels.Farm, 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new SyncExpectations().RequireAtLeast(Provider.JohnDeere, FmisLevels.Field, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new SyncExpectations { MaxSyncAge = TimeSpan.Zero }, Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Per_provider_minimum_overrides_the_general_one()
    {
        var expectations = new SyncExpectations { MinimumFields = 10 }.RequireAtLeast(Provider.Stara, FmisLevels.Field, 50);

        Assert.Multiple(() =>
        {
            Assert.That(expectations.MinimumFor(Provider.Stara, FmisLevels.Field), Is.EqualTo(50));
            Assert.That(expectations.MinimumFor(Provider.JohnDeere, FmisLevels.Field), Is.EqualTo(10));
            Assert.That(expectations.MinimumFor(Provider.JohnDeere, FmisLevels.Grower), Is.Null);
            Assert.That(expectations.MaxSyncAge, Is.EqualTo(TimeSpan.FromHours(24)));
        });
    }

    [Test]
    public void Finding_prints_as_one_line()
    {
        var finding = new SyncFinding(SyncFindingSeverity.Warning, SyncFindingCode.SyncStale, Provider.Raven, "Raven", User, "Raven last synced 9 days ago. Next: resync.");

        Assert.That(finding.ToString(), Is.EqualTo("Warning SyncStale Raven: Raven last synced 9 days ago. Next: resync."));
    }
}
