using System.Diagnostics;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round19Lead;

/// <summary>
/// The login runs in a Polly pipeline of its own, and Polly's metrics and events name it <c>Leaf.Sdk.Login</c>, the
/// Sync Summary's <c>Leaf.Sdk</c> (README, "Logs and traces"): an app charting Polly's metrics can tell a slow or
/// retried login from a slow or retried call. Both pipelines named <c>Leaf.Sdk</c> passed every other test.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class PipelineNameTests
{
    [Test]
    public async Task Polly_names_the_login_pipeline_apart_from_the_Sync_Summary_one([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o =>
        {
            o.AccessToken = null;
            o.Username = AuthStub.Username;
            o.Password = AuthStub.Password;
        });
        h.Server.LoginIssues(AuthStub.Jwt(ResilienceHarness.Epoch.AddDays(1)));
        h.Server.Resources(LeafJson.DocumentedExample);
        using var parent = new Activity("r19-pipeline-name").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var measurements = new PollyMeasurements(parent.TraceId);

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(h.Server.LoginRequests(), Is.EqualTo(1));
            Assert.That(
                measurements.Recorded.Where(m => m.Instrument == "resilience.polly.pipeline.duration").Select(m => m.Tags.GetValueOrDefault("pipeline.name")).Order(StringComparer.Ordinal),
                Is.EqualTo(new[] { "Leaf.Sdk", "Leaf.Sdk.Login" }),
                "one run of each pipeline, each under its own name");
        });
    }
}
