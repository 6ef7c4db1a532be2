using LeafSyncSummary;

namespace Leaf.Sdk.Tests.Core;

/// <summary>The sample's table: "n/a" only where a level does not exist, local times, "ago" texts and row order.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SummaryTableTests
{
    private static readonly DateTimeOffset SyncTime = new DateTimeOffset(2023, 8, 30, 18, 39, 33, TimeSpan.Zero).AddTicks(2_306_120);
    private static readonly Guid UserA = Guid.Parse("11111111-0000-0000-0000-000000000001");
    private static readonly Guid UserB = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000002");

    // Fixed zones, so the tests mean the same on every machine whatever its local zone.
    private static readonly TimeZoneInfo India = TimeZoneInfo.CreateCustomTimeZone("Test/Plus0530", TimeSpan.FromHours(5.5), "Test +05:30", "Test +05:30");
    private static readonly TimeZoneInfo Mountain = TimeZoneInfo.CreateCustomTimeZone("Test/Minus0700", TimeSpan.FromHours(-7), "Test -07:00", "Test -07:00");

    private static SyncSummary Summary(Provider provider, int? growers, int? farms, int? fields, Guid? user = null, string? rawName = null) => new()
    {
        Provider = provider,
        ProviderName = rawName ?? provider.GetInfo().ApiName,
        LeafUserId = user ?? UserA,
        Growers = growers,
        Farms = farms,
        Fields = fields,
        SyncReferenceTime = SyncTime,
    };

    private static SummaryRow Row(SyncSummary summary) => SummaryTable.Row(summary, SyncTime.AddMinutes(12), TimeZoneInfo.Utc);

    [Test]
    public void A_level_the_provider_does_not_expose_shows_n_a_never_zero()
    {
        var row = Row(Summary(Provider.ClimateFieldView, growers: null, farms: 3, fields: 41));

        Assert.Multiple(() =>
        {
            Assert.That(row.Provider, Is.EqualTo("Climate FieldView"));
            Assert.That(row.Growers, Is.EqualTo("n/a"));
            Assert.That(row.Farms, Is.EqualTo("3"));
            Assert.That(row.Fields, Is.EqualTo("41"));
        });
    }

    [Test]
    public void A_fields_only_provider_shows_n_a_for_growers_and_farms()
    {
        var row = Row(Summary(Provider.Sentera, null, null, 9));

        Assert.That((row.Growers, row.Farms, row.Fields), Is.EqualTo(("n/a", "n/a", "9")));
    }

    [Test]
    public void An_exposed_level_that_Leaf_left_out_shows_missing_not_n_a()
    {
        var row = Row(Summary(Provider.JohnDeere, growers: null, farms: 4, fields: null));

        Assert.Multiple(() =>
        {
            Assert.That(row.Growers, Is.EqualTo("missing"));
            Assert.That(row.Farms, Is.EqualTo("4"));
            Assert.That(row.Fields, Is.EqualTo("missing"));
            Assert.That(SummaryTable.Missing, Is.EqualTo("missing"));
            Assert.That(SummaryTable.NotApplicable, Is.EqualTo("n/a"));
        });
    }

    [Test]
    public void A_real_zero_count_shows_zero()
    {
        var row = Row(Summary(Provider.JohnDeere, 0, 0, 0));

        Assert.That((row.Growers, row.Farms, row.Fields), Is.EqualTo(("0", "0", "0")));
    }

    [Test]
    public void A_count_Leaf_sent_for_a_level_the_table_lacks_is_still_shown()
    {
        var row = Row(Summary(Provider.Stara, growers: null, farms: 2, fields: 5));

        Assert.That(row.Farms, Is.EqualTo("2"));
    }

    [Test]
    public void An_absent_count_is_never_shown_as_zero_for_any_provider_or_level()
    {
        var cells = Providers.All.SelectMany(p =>
        {
            var row = Row(Summary(p.Provider, null, null, null));
            return new[] { row.Growers, row.Farms, row.Fields };
        });

        Assert.That(cells, Is.All.EqualTo("n/a").Or.EqualTo("missing"));
    }

    [Test]
    public void An_unknown_provider_shows_its_raw_name_and_n_a_for_what_it_did_not_send()
    {
        var row = Row(Summary(Provider.Unknown, null, null, 7, rawName: "Panorama"));

        Assert.Multiple(() =>
        {
            Assert.That(row.Provider, Does.StartWith("Panorama").And.Contain("unknown"));
            Assert.That(row.Growers, Is.EqualTo("n/a"));
            Assert.That(row.Fields, Is.EqualTo("7"));
        });
    }

    [Test]
    public void The_user_id_is_shown_in_canonical_form()
    {
        var row = Row(Summary(Provider.JohnDeere, 1, 1, 1, user: UserB));

        Assert.That(row.LeafUserId, Is.EqualTo("aaaaaaaa-0000-0000-0000-000000000002"));
    }

    [Test]
    public void The_sync_time_is_shown_in_the_given_time_zone_with_how_long_ago()
    {
        var now = SyncTime.AddMinutes(12);

        Assert.Multiple(() =>
        {
            Assert.That(SummaryTable.LastSync(SyncTime, now, India), Is.EqualTo("2023-08-31 00:09 (12 minutes ago)"));
            Assert.That(SummaryTable.LastSync(SyncTime, now, Mountain), Is.EqualTo("2023-08-30 11:39 (12 minutes ago)"));
            Assert.That(SummaryTable.LastSync(SyncTime, now, TimeZoneInfo.Utc), Is.EqualTo("2023-08-30 18:39 (12 minutes ago)"));
        });
    }

    [Test]
    public void The_ago_text_does_not_depend_on_the_offset_the_times_carry()
    {
        var syncInParis = SyncTime.ToOffset(TimeSpan.FromHours(2));
        var nowInTokyo = SyncTime.AddHours(3).ToOffset(TimeSpan.FromHours(9));

        Assert.That(SummaryTable.LastSync(syncInParis, nowInTokyo, India), Is.EqualTo("2023-08-31 00:09 (3 hours ago)"));
    }

    [Test]
    public void A_summary_without_a_sync_time_shows_never()
    {
        Assert.That(SummaryTable.LastSync(null, SyncTime, India), Is.EqualTo("never"));
        Assert.That(Row(Summary(Provider.JohnDeere, 1, 1, 1) with { SyncReferenceTime = null }).LastSync, Is.EqualTo("never"));
    }

    [Test]
    public void A_row_carries_the_local_time_of_the_zone_it_was_given()
    {
        var row = SummaryTable.Row(Summary(Provider.Trimble, 1, 2, 3), SyncTime.AddDays(3), India);

        Assert.That(row.LastSync, Is.EqualTo("2023-08-31 00:09 (3 days ago)"));
    }

    [TestCase(0, "just now")]
    [TestCase(59, "just now")]
    [TestCase(60, "1 minute ago")]
    [TestCase(119, "1 minute ago")]
    [TestCase(120, "2 minutes ago")]
    [TestCase(59 * 60 + 59, "59 minutes ago")]
    [TestCase(60 * 60, "1 hour ago")]
    [TestCase(2 * 60 * 60 - 1, "1 hour ago")]
    [TestCase(2 * 60 * 60, "2 hours ago")]
    [TestCase(24 * 60 * 60 - 1, "23 hours ago")]
    [TestCase(24 * 60 * 60, "1 day ago")]
    [TestCase(48 * 60 * 60 - 1, "1 day ago")]
    [TestCase(48 * 60 * 60, "2 days ago")]
    [TestCase(400 * 24 * 60 * 60, "400 days ago")]
    [TestCase(-30, "just now")]
    [TestCase(-60, "just now")]
    [TestCase(-61, "in the future")]
    [TestCase(-24 * 60 * 60, "in the future")]
    public void The_ago_text_changes_at_the_right_boundaries(int seconds, string expected)
    {
        Assert.That(SummaryTable.Ago(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));
    }

    [Test]
    public void Rows_are_sorted_by_user_then_by_display_name_ignoring_case()
    {
        var response = new SyncSummaryResponse
        {
            Summaries =
            [
                Summary(Provider.Trimble, 1, 1, 1, UserB),
                Summary(Provider.Trimble, 1, 1, 1, UserA),
                Summary(Provider.Unknown, null, null, 1, UserA, rawName: "panorama"),
                Summary(Provider.CNHIFieldOps, 1, 1, 1, UserA),
                Summary(Provider.ClimateFieldView, null, 1, 1, UserA),
                Summary(Provider.AgVance, 1, 1, 1, UserB),
                Summary(Provider.CNHI, 1, 1, 1, UserA),
            ],
        };

        var rows = SummaryTable.Rows(response, SyncTime, TimeZoneInfo.Utc);

        Assert.That(rows.Select(r => (r.LeafUserId[..8], r.Provider)), Is.EqualTo(new[]
        {
            ("11111111", "Climate FieldView"),
            ("11111111", "CNHI (AFS Connect - Legacy)"),
            ("11111111", "CNHI FieldOps"),
            ("11111111", "panorama (unknown to this SDK)"),
            ("11111111", "Trimble"),
            ("aaaaaaaa", "AgVance"),
            ("aaaaaaaa", "Trimble"),
        }));
    }

    [Test]
    public void No_summaries_give_no_rows_and_a_table_of_only_the_header()
    {
        var rows = SummaryTable.Rows(new SyncSummaryResponse(), SyncTime, TimeZoneInfo.Utc);

        var lines = SummaryTable.Format(rows).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.That(rows, Is.Empty);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.StartWith("Provider"));
    }

    [Test]
    public void The_formatted_table_aligns_every_column_and_right_aligns_the_counts()
    {
        var response = new SyncSummaryResponse
        {
            Summaries =
            [
                Summary(Provider.ClimateFieldView, null, 3, 41),
                Summary(Provider.JohnDeere, 12, 12, 100_000, UserB),
            ],
        };
        var rows = SummaryTable.Rows(response, SyncTime.AddMinutes(5), TimeZoneInfo.Utc);

        var lines = SummaryTable.Format(rows).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines, Has.Length.EqualTo(4), "header, rule, two rows");
        var userColumn = lines[0].IndexOf("Leaf user", StringComparison.Ordinal);
        var fieldsEnd = lines[0].IndexOf("Fields", StringComparison.Ordinal) + "Fields".Length;
        Assert.Multiple(() =>
        {
            Assert.That(lines[1], Does.Match("^[- ]+$"));
            Assert.That(lines[2].IndexOf(UserA.ToString(), StringComparison.Ordinal), Is.EqualTo(userColumn));
            Assert.That(lines[3].IndexOf(UserB.ToString(), StringComparison.Ordinal), Is.EqualTo(userColumn));
            Assert.That(lines[2], Does.Contain(" n/a ").And.Contain("(5 minutes ago)"));
            Assert.That(lines[3].IndexOf("100000", StringComparison.Ordinal) + "100000".Length, Is.EqualTo(fieldsEnd), "counts are right-aligned under their header");
            Assert.That(lines[2].IndexOf("41", StringComparison.Ordinal) + 2, Is.EqualTo(fieldsEnd));
            Assert.That(lines, Has.None.Match(@"\s$"), "no trailing white space");
        });
    }
}
