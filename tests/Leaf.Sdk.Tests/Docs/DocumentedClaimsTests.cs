using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Leaf.Sdk.Tests.Docs;

// Inside the namespace, so SyncChecks is the library's class, not the Leaf.Sdk.Tests.SyncChecks namespace.
using SyncChecks = Leaf.Sdk.SyncChecks;

/// <summary>Claims of README.md and the XML docs that no other test pins: each test names the sentence it checks.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class DocumentedClaimsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    // README (FakeLeafServer) and DemoData: the demo users show every finding but NoSummaries, ProviderMissing and
    // BelowExpectedScope, which depend on the user and the expectations checked.
    [Test]
    public void Demo_data_shows_every_finding_that_needs_no_expectations_but_NoSummaries()
    {
        var response = new SyncSummaryResponse { Message = "SUCCESS", Summaries = DemoData.Create(Now) };

        var codes = SyncChecks.Check(response, timeProvider: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now))
            .Findings.Select(f => f.Code).ToHashSet();

        Assert.That(codes, Is.EquivalentTo(Enum.GetValues<SyncFindingCode>().Except(
            [SyncFindingCode.NoSummaries, SyncFindingCode.ProviderMissing, SyncFindingCode.BelowExpectedScope])));
    }

    // LeafApiException.IsTransient and README's retry table: 500, 502, 503 and 504 are transient, not every 5xx.
    [TestCase(501, false, 1)]
    [TestCase(505, false, 1)]
    [TestCase(500, true, 3)]
    public async Task Only_the_listed_server_errors_are_transient_and_retried(int status, bool transient, int attempts)
    {
        using var server = Stub.Start();
        server.Resources("""{"title":"Server error"}""", status, "application/problem+json");
        var options = Stub.Options(server, maxRetries: 2);
        options.RetryBaseDelay = TimeSpan.Zero;
        using var client = new IntegrationsClient(options);

        var error = await Assert.ThrowsAsync<LeafApiException>(() => client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.IsTransient, Is.EqualTo(transient));
            Assert.That(error.Attempts, Is.EqualTo(attempts));
            Assert.That(server.LogEntries.Count, Is.EqualTo(attempts));
        });
    }

    // LeafApiException.IsTransient and LeafClientOptions.MaxRetries: network errors are transient and retried, except
    // a server certificate .NET refused and a proxy's 407, which the next attempt would meet again.
    [Test]
    public void A_refused_certificate_and_a_proxy_407_are_the_network_errors_that_are_not_transient()
    {
        static bool Transient(Exception exception) =>
            Leaf.Sdk.Resilience.LeafResiliencePipelineFactory.IsTransient(Polly.Outcome.FromException<HttpResponseMessage>(exception), forLogin: false);

        Assert.Multiple(() =>
        {
            Assert.That(Transient(new HttpRequestException(HttpRequestError.ConnectionError, "refused")), Is.True);
            Assert.That(Transient(new HttpRequestException(HttpRequestError.SecureConnectionError, "handshake broke off", new IOException("reset"))), Is.True);
            Assert.That(Transient(new HttpRequestException(HttpRequestError.SecureConnectionError, "untrusted", new System.Security.Authentication.AuthenticationException("UntrustedRoot"))), Is.False);
            Assert.That(Transient(new HttpRequestException(HttpRequestError.ProxyTunnelError, "407", statusCode: System.Net.HttpStatusCode.ProxyAuthenticationRequired)), Is.False);
        });
    }

    // LeafAuthenticationException: also a 401 to a fixed token, which is final at once (README: "A 401 is final").
    [Test]
    public async Task A_401_to_a_fixed_token_is_a_LeafAuthenticationException_after_one_attempt()
    {
        using var server = Stub.Start();
        server.Resources("""{"title":"Unauthorized"}""", 401, "application/problem+json");
        using var client = new IntegrationsClient(Stub.Options(server, maxRetries: 3));

        var error = await Assert.ThrowsAsync<LeafAuthenticationException>(() => client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
            Assert.That(server.LogEntries.Count, Is.EqualTo(1));
        });
    }

    // README (Logs and traces): a call that goes well writes nothing at Information unless it logs in; the login is
    // events 4 and 5 at Information, and the next call writes nothing at Information.
    [Test]
    public async Task A_call_that_goes_well_writes_Information_only_when_it_logs_in()
    {
        using var server = FakeLeafServer.Start();
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
        using var client = new IntegrationsClient(server.CreateLoginOptions(), loggerFactory, TimeProvider.System);

        await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);
        var first = collector.GetSnapshot(clear: true).Where(r => r.Level >= LogLevel.Information).ToList();
        await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);
        var second = collector.GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(first.Select(r => (r.Category, r.Id.Id, r.Level)), Is.EqualTo(new[]
            {
                ("Leaf.Sdk.Authentication", 4, LogLevel.Information),
                ("Leaf.Sdk.Authentication", 5, LogLevel.Information),
            }));
            Assert.That(second, Is.Empty);
        });
    }

    // AddLeafSync's <exception> docs.
    [Test]
    public void AddLeafSync_refuses_a_blank_name_and_a_null_builder()
    {
        var builder = new ServiceCollection().AddHealthChecks();

        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => builder.AddLeafSync(name: " "));
            Assert.Throws<ArgumentNullException>(() => builder.AddLeafSync(name: null!));
            Assert.Throws<ArgumentNullException>(() => ((IHealthChecksBuilder)null!).AddLeafSync());
        });
    }

    // FakeLeafServer's <exception> docs, RateLimitNext's "whole seconds (rounded up)", and Requests: the journal holds
    // the requests to the Sync Summary and login endpoints only.
    [Test]
    public async Task FakeLeafServer_refuses_a_negative_count_rounds_Retry_After_up_and_journals_its_endpoints_only()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => server.FailNext(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => server.RateLimitNext(-1, TimeSpan.FromSeconds(1)));
            Assert.Throws<ArgumentNullException>(() => server.Seed(null!));
        });

        server.RateLimitNext(1, TimeSpan.FromMilliseconds(1500));
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(server.BaseAddress, FakeLeafServer.ResourcesPath));
        using var elsewhere = await http.GetAsync(new Uri(server.BaseAddress, "/elsewhere"));

        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(elsewhere.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
            Assert.That(server.Requests.Select(r => r.Path), Is.EqualTo(new[] { FakeLeafServer.ResourcesPath }));
        });
    }
}
