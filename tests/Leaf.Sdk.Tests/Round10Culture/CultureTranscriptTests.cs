using System.Globalization;
using System.Net;
using System.Text;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round10Culture;

/// <summary>
/// Everything the SDK writes for a user to read or parse, and everything it reads, is the same under every culture:
/// one scenario (a login with a non-ASCII username, filtered and unfiltered calls, provider names in other cases, a
/// Retry-After HTTP date beyond the budget, a problem body, the sync checks, the side-by-side table, the health check
/// and every log event of the SDK with its structured values) is written down under the invariant culture and under
/// each unusual one, on a fixed fake clock, and the two transcripts must be equal.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class CultureTranscriptTests
{
    private static readonly DateTimeOffset Start = new(2024, 2, 29, 23, 59, 58, 123, TimeSpan.Zero);

    [TestCaseSource(typeof(CultureScope), nameof(CultureScope.Unusual))]
    public async Task The_SDK_says_and_reads_the_same_under_every_culture(string culture)
    {
        var expected = await CultureScope.Under(string.Empty, Transcript);
        var actual = await CultureScope.Under(culture, Transcript);

        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(expected, Does.Contain("Retry-After").And.Contain("2024-02-29T").And.Contain("error key error.validation"));
    }

    private static async Task<string> Transcript()
    {
        var text = new StringBuilder();
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

        await WithFakeLeaf(text, loggerFactory);
        await WithStub(text, loggerFactory);

        foreach (var record in logs.Collector.GetSnapshot().Where(r => r.Category?.StartsWith("Leaf.Sdk", StringComparison.Ordinal) == true))
        {
            text.Append(CultureInfo.InvariantCulture, $"log {record.Id.Id} {record.Level}: {record.Message} | ")
                .AppendLine(string.Join("; ", record.StructuredState!.Select(kv => $"{kv.Key}={kv.Value}")));
        }

        foreach (var name in new[] { "CLIMATEFIELDVIEW", "climatefieldview", "JOHNDEERE", "cnhi", "CNHi", "Sentera", "SENTERA" })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"TryParse({name}) = {Providers.TryParse(name, out var provider)} {provider}");
        }

        return text.ToString();
    }

    private static async Task WithFakeLeaf(StringBuilder text, ILoggerFactory loggerFactory)
    {
        var time = new FakeTimeProvider(Start);
        using var fake = FakeLeafServer.Start(new FakeLeafServerOptions { TimeProvider = time, Username = "İsmail.ılgın@leaf.example", Password = "şifre-İIıi-1,5" });
        using var client = TestClient.Create(ClientKind.Standalone, fake.CreateLoginOptions(), time, loggerFactory);

        var all = await client.Client.GetResourcesAsync();
        text.AppendLine(all.ToString());
        _ = Providers.TryParse("CLIMATEFIELDVIEW", out var climate);
        text.AppendLine((await client.Client.GetResourcesAsync(climate, DemoUsers.NeedsAttention)).ToString());

        var expectations = new SyncExpectations { MaxSyncAge = TimeSpan.FromMinutes(90.5), MinimumFields = 100, ExpectedProviders = { Provider.JohnDeere, Provider.Stara } };
        text.AppendLine(Leaf.Sdk.SyncChecks.Check(all, expectations, time).ToString());
        text.AppendLine(SyncComparison.Create(all, DemoUsers.NeedsAttention).ToString());
        text.AppendLine(string.Join(" | ", fake.Requests));

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(loggerFactory);
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = fake.BaseAddress;
            o.AccessToken = fake.AccessToken;
        });
        services.AddHealthChecks().AddLeafSync(o =>
        {
            o.LeafUserIds.Add(DemoUsers.NeedsAttention);
            o.Expectations = expectations;
        });
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        foreach (var (name, entry) in report.Entries)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"health {name} {entry.Status}: {entry.Description}");
            foreach (var (key, value) in entry.Data)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {key} = {(value is IEnumerable<SyncFinding> findings ? string.Join(" / ", findings) : Convert.ToString(value, CultureInfo.InvariantCulture))}");
            }
        }
    }

    private static async Task WithStub(StringBuilder text, ILoggerFactory loggerFactory)
    {
        var time = new FakeTimeProvider(Start);
        using var server = Stub.Start();
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).WithParam("provider", "Stara").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", Start.AddSeconds(125).ToString("r", CultureInfo.InvariantCulture)));
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).WithParam("provider", "Trimble").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/problem+json")
                .WithBody("""{"type":"about:blank","title":"Bad Request","status":400,"detail":"Invalid leafUserId 1,5","message":"error.validation","errorKey":"error.validation"}"""));
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).WithParam("provider", "Raven").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""[{"provider":"Raven","leafUserId":"5b7d1f3e-2c4a-4e8b-9f10-1a2b3c4d5e6f","fields":1e3}]"""));
        server.Given(Request.Create().WithPath(Stub.ResourcesPath).WithParam("provider", "Sentera").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"summaries":[{"provider":"Sentera","leafUserId":"5b7d1f3e-2c4a-4e8b-9f10-1a2b3c4d5e6f","fields":7,"syncReferenceTime":"2566-08-30T18:39:33.123456789Z"},{"provider":"Sentera","leafUserId":"5b7d1f3e-2c4a-4e8b-9f10-1a2b3c4d5e6f","fields":8,"syncReferenceTime":"2023-08-30T18:39:33+02:00"}]}"""));

        var options = Stub.Options(server, maxRetries: 2);
        options.EnableCircuitBreaker = true;
        using var client = TestClient.Create(ClientKind.DependencyInjection, options, time, loggerFactory);
        foreach (var provider in new[] { Provider.Stara, Provider.Trimble, Provider.Raven, Provider.Sentera })
        {
            try
            {
                text.AppendLine((await client.Client.GetResourcesAsync(provider)).ToString());
            }
            catch (LeafApiException ex)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{ex.GetType().Name}: {ex.Message} | {ex.StatusCode} | {ex.Attempts} | {ex.IsTransient} | {ex.Problem} | {ex.ResponseExcerpt}");
            }
        }
    }
}
