using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaf.Sdk.Tests.Round7Checks;

/// <summary>
/// The health check over the whole account counts the Leaf users its summaries name: a summary without a leafUserId
/// (read as <see cref="Guid.Empty"/>) is no user, as the sync checks treat it.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HealthCheckUserCountTests
{
    [Test]
    public async Task A_summary_without_a_leaf_user_id_is_not_counted_as_a_user()
    {
        using var server = Stub.Start();
        var now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        server.Resources($$"""
            {"summaries":[
              {"provider":"JohnDeere","leafUserId":"{{LeafJson.UserId}}","growers":1,"farms":1,"fields":1,"syncReferenceTime":"{{now}}"},
              {"provider":"Trimble","growers":1,"farms":1,"fields":1,"syncReferenceTime":"{{now}}"}
            ]}
            """);
        var services = new ServiceCollection();
        services.AddLogging();
        var options = Stub.Options(server);
        services.AddLeafSdk(o => TestClient.Copy(options, o));
        services.AddHealthChecks().AddLeafSync();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries[LeafSyncHealthChecksBuilderExtensions.DefaultName];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Data["leafUsers"], Is.EqualTo(1));
            Assert.That(entry.Description, Does.Contain("1 Leaf user"));
        });
    }
}
