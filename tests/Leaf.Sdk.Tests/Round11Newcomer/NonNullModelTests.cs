using System.Text.Json;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round11Newcomer;

// Inside the namespace, so SyncChecks is the library's class, not the Leaf.Sdk.Tests.SyncChecks namespace.
using SyncChecks = Leaf.Sdk.SyncChecks;

/// <summary>
/// The models' members annotated non-null never give null, however the model was made: by the SDK's parser, in code,
/// or read back with System.Text.Json from a body another program wrote (a cache, a queue, another service).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class NonNullModelTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public void Summaries_read_back_from_json_null_are_an_empty_list_and_every_helper_takes_the_response()
    {
        var response = JsonSerializer.Deserialize<SyncSummaryResponse>("""{"message":"SUCCESS","summaries":null}""", JsonSerializerOptions.Web)!;

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Null.And.Empty);
            Assert.That(response, Is.EqualTo(new SyncSummaryResponse { Message = "SUCCESS" }));
            Assert.That(SyncChecks.Check(response, timeProvider: Time).Findings.Single().Code, Is.EqualTo(SyncFindingCode.NoSummaries));
            Assert.That(SyncComparison.Create(response, DemoUsers.Healthy).Summaries, Is.Empty);
        });
    }

    [Test]
    public void Summaries_set_to_null_in_code_read_as_an_empty_list()
    {
        var response = new SyncSummaryResponse { Message = "SUCCESS", Summaries = null! };

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Not.Null.And.Empty);
            Assert.That((response with { }).Summaries, Is.Not.Null.And.Empty);
            Assert.That(SyncComparison.Create(response, DemoUsers.Healthy).ToString(), Does.Contain("Growers"));
        });
    }

    [Test]
    public void A_provider_name_read_back_from_json_null_is_empty_and_the_checks_read_the_summary()
    {
        var json = $$"""{"summaries":[{"provider":1,"providerName":null,"leafUserId":"{{DemoUsers.Healthy}}","growers":1,"farms":1,"fields":0,"syncReferenceTime":"2026-11-27T11:00:00Z"}]}""";
        var response = JsonSerializer.Deserialize<SyncSummaryResponse>(json, JsonSerializerOptions.Web)!;
        var summary = response.Summaries.Single();

        Assert.Multiple(() =>
        {
            Assert.That(summary.ProviderName, Is.Not.Null.And.Empty);
            Assert.That(summary.Provider, Is.EqualTo(Provider.JohnDeere));
            Assert.That(summary, Is.EqualTo(summary with { ProviderName = string.Empty }));

            var finding = SyncChecks.CheckUser(response, DemoUsers.Healthy, timeProvider: Time).Findings.Single();
            Assert.That((finding.Code, finding.ProviderName), Is.EqualTo((SyncFindingCode.NoFields, "JohnDeere")));
            Assert.That(SyncChecks.Check(response, timeProvider: Time).Findings.Single().Code, Is.EqualTo(SyncFindingCode.NoFields));
            Assert.That(SyncComparison.ColumnName(summary), Is.EqualTo("John Deere"));
        });
    }

    [Test]
    public void An_unknown_provider_with_a_null_name_is_an_unnamed_one_to_every_helper()
    {
        var summary = new SyncSummary { Provider = Provider.Unknown, ProviderName = null!, LeafUserId = DemoUsers.Healthy, Fields = 3, SyncReferenceTime = Time.GetUtcNow() };
        var response = new SyncSummaryResponse { Summaries = [summary] };

        Assert.Multiple(() =>
        {
            Assert.That(summary.ProviderName, Is.Not.Null.And.Empty);
            Assert.That(summary.ToString(), Does.Contain("ProviderName = ,"));
            var finding = SyncChecks.CheckUser(response, DemoUsers.Healthy, timeProvider: Time).Findings.Single();
            Assert.That((finding.Code, finding.ProviderName), Is.EqualTo((SyncFindingCode.UnknownProvider, string.Empty)));
            Assert.That(finding.Message, Does.StartWith("An unnamed provider"));
            Assert.That(SyncComparison.ColumnName(summary), Is.EqualTo(SyncComparison.Unnamed));
        });
    }

    // The summary a test seeds with a null name is one whose name was left out: the server sends the provider's API name.
    [Test]
    public async Task FakeLeafServer_sends_the_API_name_for_a_summary_seeded_with_a_null_name()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        server.Seed([new SyncSummary { Provider = Provider.Raven, ProviderName = null!, LeafUserId = DemoUsers.Stale, Fields = 4 }]);
        using var client = new IntegrationsClient(server.CreateClientOptions());

        var response = await client.GetResourcesAsync(Provider.Raven);

        Assert.That(response.Summaries.Single().ProviderName, Is.EqualTo("Raven"));
    }
}
