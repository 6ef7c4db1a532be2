using System.Text;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Core;

/// <summary>Every body shape Leaf has sent or may send on success, parsed into the public records.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ResponseShapeTests
{
    private static readonly Guid UserId = Guid.Parse(LeafJson.UserId);

    // 2023-08-30T18:39:33Z, the second of Leaf's documented example.
    private static readonly DateTime Second = new(2023, 8, 30, 18, 39, 33, DateTimeKind.Utc);

    private static readonly ClientKind[] Kinds = [ClientKind.Standalone, ClientKind.DependencyInjection];

    private static async Task<SyncSummaryResponse> Fetch(ClientKind kind, string body)
    {
        using var server = Stub.Start();
        server.Resources(body);
        using var client = TestClient.Create(kind, Stub.Options(server));
        return await client.Client.GetResourcesAsync();
    }

    private static async Task<SyncSummaryResponse> FetchBytes(ClientKind kind, byte[] body)
    {
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
        using var client = TestClient.Create(kind, Stub.Options(server));
        return await client.Client.GetResourcesAsync();
    }

    private static string Envelope(string summary) => $$"""{"message":"SUCCESS","summaries":[{{summary}}]}""";

    private static string WithTimestamp(string timestamp) => Envelope(
        $$"""{"provider":"JohnDeere","leafUserId":"{{LeafJson.UserId}}","growers":1,"farms":2,"fields":3,"syncReferenceTime":"{{timestamp}}"}""");

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Leafs_documented_example_parses_into_every_field_with_the_microseconds_kept(ClientKind kind)
    {
        var response = await Fetch(kind, LeafJson.DocumentedExample);

        var summary = response.Summaries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.Message, Is.EqualTo("SUCCESS"));
            Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(summary.ProviderName, Is.EqualTo("JohnDeere"));
            Assert.That(summary.LeafUserId, Is.EqualTo(UserId));
            Assert.That(summary.Growers, Is.EqualTo(12));
            Assert.That(summary.Farms, Is.EqualTo(12));
            Assert.That(summary.Fields, Is.EqualTo(100));
            Assert.That(summary.SyncReferenceTime, Is.Not.Null);
            Assert.That(summary.SyncReferenceTime!.Value.UtcTicks, Is.EqualTo(Second.Ticks + 2_306_120), "230612 µs = 2 306 120 ticks, exactly");
            Assert.That(summary.SyncReferenceTime.Value.Offset, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_Climate_FieldView_summary_without_a_growers_key_has_null_growers_not_zero(ClientKind kind)
    {
        var summary = (await Fetch(kind, LeafJson.ClimateWithoutGrowers)).Summaries.Single();

        Assert.Multiple(() =>
        {
            Assert.That(summary.Provider, Is.EqualTo(Provider.ClimateFieldView));
            Assert.That(summary.Growers, Is.Null);
            Assert.That(summary.Farms, Is.EqualTo(3));
            Assert.That(summary.Fields, Is.EqualTo(41));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_unknown_provider_parses_as_Unknown_with_its_raw_name_kept(ClientKind kind)
    {
        var body = Envelope($$"""{"provider":"Panorama","leafUserId":"{{LeafJson.UserId}}","fields":7}""");

        var summary = (await Fetch(kind, body)).Summaries.Single();

        Assert.Multiple(() =>
        {
            Assert.That(summary.Provider, Is.EqualTo(Provider.Unknown));
            Assert.That(summary.ProviderName, Is.EqualTo("Panorama"));
            Assert.That(summary.Fields, Is.EqualTo(7));
            Assert.That(summary.LeafUserId, Is.EqualTo(UserId));
        });
    }

    [Test]
    public async Task A_differently_cased_provider_name_parses_to_the_known_provider_with_the_raw_name_kept(
        [ValueSource(nameof(Kinds))] ClientKind kind,
        [Values("CNHi", "cnhi", "johndeere", "JOHNDEERE", "climateFieldView")] string raw)
    {
        var body = Envelope($$"""{"provider":"{{raw}}","leafUserId":"{{LeafJson.UserId}}","fields":7}""");

        var summary = (await Fetch(kind, body)).Summaries.Single();

        Assert.That(Providers.TryParse(raw, out var expected), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(summary.Provider, Is.EqualTo(expected).And.Not.EqualTo(Provider.Unknown));
            Assert.That(summary.ProviderName, Is.EqualTo(raw));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_provider_name_written_with_JSON_escapes_is_still_recognised(ClientKind kind)
    {
        var body = Envelope($$"""{"provider":"John\u0044eere","leafUserId":"{{LeafJson.UserId}}","fields":7}""");

        var summary = (await Fetch(kind, body)).Summaries.Single();

        Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere));
        Assert.That(summary.ProviderName, Is.EqualTo("JohnDeere"));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task The_older_bare_array_shape_parses_with_no_message_and_no_sync_time(ClientKind kind)
    {
        var response = await Fetch(kind, LeafJson.OlderBareArray);

        var summary = response.Summaries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.Message, Is.Null);
            Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(summary.LeafUserId, Is.EqualTo(UserId));
            Assert.That((summary.Growers, summary.Farms, summary.Fields), Is.EqualTo((1, 2, 3)));
            Assert.That(summary.SyncReferenceTime, Is.Null);
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Unknown_keys_at_both_levels_are_ignored_even_when_they_hold_objects_and_arrays(ClientKind kind)
    {
        const string body = """
            {
              "requestId": "abc",
              "meta": {"page": 1, "links": [{"rel": "next", "href": null}], "nested": {"deeper": [[1, 2], {"x": true}]}},
              "message": "SUCCESS",
              "summaries": [
                {
                  "id": 17,
                  "provider": "JohnDeere",
                  "extra": {"provider": "ClimateFieldView", "growers": 999, "list": [1, "two", null, {"three": 3}]},
                  "leafUserId": "7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b",
                  "tags": ["a", "b"],
                  "growers": 12,
                  "farms": 12,
                  "fields": 100,
                  "status": null,
                  "syncReferenceTime": "2023-08-30T18:39:33.230612Z",
                  "zzz": false
                }
              ],
              "trailer": [{"summaries": "not these"}]
            }
            """;

        var response = await Fetch(kind, body);

        var summary = response.Summaries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.Message, Is.EqualTo("SUCCESS"));
            Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere), "a nested 'provider' key must not overwrite the summary's own");
            Assert.That(summary.Growers, Is.EqualTo(12), "a nested 'growers' key must not overwrite the summary's own");
            Assert.That(summary.Fields, Is.EqualTo(100));
            Assert.That(summary.SyncReferenceTime!.Value.UtcTicks, Is.EqualTo(Second.Ticks + 2_306_120));
        });
    }

    [TestCase(ClientKind.Standalone, """{"message":"SUCCESS","summaries":null}""")]
    [TestCase(ClientKind.DependencyInjection, """{"message":"SUCCESS","summaries":null}""")]
    [TestCase(ClientKind.Standalone, """{"message":"SUCCESS"}""")]
    [TestCase(ClientKind.DependencyInjection, """{"message":"SUCCESS"}""")]
    [TestCase(ClientKind.Standalone, """{"message":"SUCCESS","summaries":[]}""")]
    [TestCase(ClientKind.DependencyInjection, """{"message":"SUCCESS","summaries":[]}""")]
    public async Task Null_missing_or_empty_summaries_give_an_empty_list_never_null(ClientKind kind, string body)
    {
        var response = await Fetch(kind, body);

        Assert.That(response.Summaries, Is.Not.Null.And.Empty);
        Assert.That(response.Message, Is.EqualTo("SUCCESS"));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_empty_bare_array_gives_an_empty_list(ClientKind kind)
    {
        var response = await Fetch(kind, "[]");

        Assert.That(response.Summaries, Is.Not.Null.And.Empty);
        Assert.That(response.Message, Is.Null);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task An_empty_object_gives_an_empty_list(ClientKind kind)
    {
        var response = await Fetch(kind, "{}");

        Assert.That(response.Summaries, Is.Not.Null.And.Empty);
        Assert.That(response.Message, Is.Null);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Null_entries_inside_the_summaries_array_are_dropped(ClientKind kind)
    {
        var body = $$"""
            {"message":"SUCCESS","summaries":[null,{"provider":"Stara","leafUserId":"{{LeafJson.UserId}}","fields":5},null,{"provider":"Sentera","leafUserId":"{{LeafJson.UserId}}","fields":6},null]}
            """;

        var response = await Fetch(kind, body);

        Assert.That(response.Summaries.Select(s => s.Provider), Is.EqualTo(new[] { Provider.Stara, Provider.Sentera }));
        Assert.That(response.Summaries, Has.None.Null);
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Null_entries_in_the_bare_array_are_dropped_too(ClientKind kind)
    {
        var body = $$"""[null,{"provider":"Raven","leafUserId":"{{LeafJson.UserId}}","fields":5}]""";

        var response = await Fetch(kind, body);

        Assert.That(response.Summaries.Single().Provider, Is.EqualTo(Provider.Raven));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Explicit_null_counts_and_time_parse_as_null(ClientKind kind)
    {
        var body = Envelope($$"""{"provider":"JohnDeere","leafUserId":"{{LeafJson.UserId}}","growers":null,"farms":null,"fields":null,"syncReferenceTime":null}""");

        var summary = (await Fetch(kind, body)).Summaries.Single();

        Assert.Multiple(() =>
        {
            Assert.That(summary.Growers, Is.Null);
            Assert.That(summary.Farms, Is.Null);
            Assert.That(summary.Fields, Is.Null);
            Assert.That(summary.SyncReferenceTime, Is.Null);
            Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Zero_counts_stay_zero_and_the_largest_int_fits(ClientKind kind)
    {
        var body = Envelope($$"""{"provider":"JohnDeere","leafUserId":"{{LeafJson.UserId}}","growers":0,"farms":0,"fields":2147483647}""");

        var summary = (await Fetch(kind, body)).Summaries.Single();

        Assert.That((summary.Growers, summary.Farms, summary.Fields), Is.EqualTo((0, 0, int.MaxValue)));
    }

    private static IEnumerable<TestCaseData> Timestamps()
    {
        var cases = new (string Text, long TicksAfterSecond, string Why)[]
        {
            ("2023-08-30T18:39:33Z", 0, "no fraction"),
            ("2023-08-30T18:39:33.230Z", 2_300_000, "milliseconds"),
            ("2023-08-30T18:39:33.230612Z", 2_306_120, "microseconds"),
            ("2023-08-30T18:39:33.2306127Z", 2_306_127, "100-nanosecond ticks"),
            ("2023-08-30T18:39:33.230612789Z", 2_306_127, "nanoseconds, truncated to ticks"),
            ("2023-08-30T18:39:33.999999999Z", 9_999_999, "nanoseconds, truncated not rounded into the next second"),
            ("2023-08-30T18:39:33", 0, "no fraction, no Z: UTC"),
            ("2023-08-30T18:39:33.230", 2_300_000, "milliseconds, no Z: UTC"),
            ("2023-08-30T18:39:33.230612", 2_306_120, "microseconds, no Z: UTC"),
            ("2023-08-30T18:39:33.2306127", 2_306_127, "ticks, no Z: UTC"),
            ("2023-08-30T18:39:33.230612789", 2_306_127, "nanoseconds, no Z: UTC"),
            ("2023-08-30T20:39:33.230612+02:00", 2_306_120, "an offset east of UTC"),
            ("2023-08-30T13:39:33.230612-05:00", 2_306_120, "an offset west of UTC"),
            ("2023-08-30T18:39:33.230612+00:00", 2_306_120, "a zero offset"),
            ("2023-08-30T20:39:33+02:00", 0, "an offset with no fraction"),
            ("2023-08-30T20:39:33.230612789+02:00", 2_306_127, "an offset with nanoseconds"),
        };
        foreach (var kind in Kinds)
        {
            foreach (var (text, ticks, why) in cases)
            {
                yield return new TestCaseData(kind, text, ticks).SetArgDisplayNames(kind.ToString(), text, why);
            }
        }
    }

    [TestCaseSource(nameof(Timestamps))]
    public async Task A_timestamp_is_read_as_the_exact_UTC_instant(ClientKind kind, string text, long ticksAfterSecond)
    {
        var summary = (await Fetch(kind, WithTimestamp(text))).Summaries.Single();

        Assert.That(summary.SyncReferenceTime, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(summary.SyncReferenceTime!.Value.UtcTicks, Is.EqualTo(Second.Ticks + ticksAfterSecond));
            Assert.That(summary.SyncReferenceTime.Value.Offset, Is.EqualTo(TimeSpan.Zero), "sync times are reported in UTC");
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_body_starting_with_a_UTF8_byte_order_mark_parses(ClientKind kind)
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(LeafJson.DocumentedExample)];

        var response = await FetchBytes(kind, body);

        Assert.That(response.Summaries.Single().Growers, Is.EqualTo(12));
        Assert.That(response.Message, Is.EqualTo("SUCCESS"));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_byte_order_mark_before_the_older_bare_array_parses(ClientKind kind)
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(LeafJson.OlderBareArray)];

        var response = await FetchBytes(kind, body);

        Assert.That(response.Summaries.Single().Fields, Is.EqualTo(3));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task White_space_before_and_after_the_JSON_is_ignored(ClientKind kind)
    {
        var response = await Fetch(kind, " \r\n\t  \n" + LeafJson.DocumentedExample + "\n\n  ");

        Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task More_white_space_than_the_excerpt_buffer_before_the_JSON_is_still_ignored(ClientKind kind)
    {
        var response = await Fetch(kind, new string(' ', 2000) + LeafJson.DocumentedExample);

        Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_json_content_type_is_not_required_to_parse_a_json_body(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample, contentType: "text/plain");
        using var client = TestClient.Create(kind, Stub.Options(server));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries.Single().Provider, Is.EqualTo(Provider.JohnDeere));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Many_summaries_for_several_users_and_providers_all_parse_in_order(ClientKind kind)
    {
        var other = Guid.NewGuid();
        var items = Enumerable.Range(0, 500).Select(i =>
            $$"""{"provider":"{{Providers.All[i % 9].ApiName}}","leafUserId":"{{(i % 2 == 0 ? UserId : other)}}","fields":{{i}},"syncReferenceTime":"2023-08-30T18:39:33.230612Z"}""");
        var body = $$"""{"message":"SUCCESS","summaries":[{{string.Join(",", items)}}]}""";

        var response = await Fetch(kind, body);

        Assert.That(response.Summaries, Has.Count.EqualTo(500));
        Assert.That(response.Summaries.Select(s => s.Fields), Is.EqualTo(Enumerable.Range(0, 500).Select(i => (int?)i)));
        Assert.That(response.Summaries[9].Provider, Is.EqualTo(Provider.JohnDeere));
        Assert.That(response.Summaries[1].LeafUserId, Is.EqualTo(other));
    }
}
