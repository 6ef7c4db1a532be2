using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

// Not "Leaf.Sdk.Tests.Diagnostics": inside Leaf.Sdk.Tests.* that name would hide Leaf.Sdk.Diagnostics.
namespace Leaf.Sdk.Tests.LogsAndTraces;

/// <summary>A login and a renewal after a 401, as the README lists them: Information, once each, nothing louder.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class LoginLogTests
{
    [Test]
    public async Task A_login_and_a_renewal_after_401_are_logged_once_each_at_Information([Values] ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var client = TestClient.Create(kind, server.CreateLoginOptions(), loggerFactory: loggerFactory);

        await client.Client.GetResourcesAsync();
        server.RevokeTokens();
        await client.Client.GetResourcesAsync();

        var records = logs.Collector.GetSnapshot();
        int Count(int id) => records.Count(r => r.Id.Id == id && r.Category?.StartsWith("Leaf.Sdk", StringComparison.Ordinal) == true);
        Assert.Multiple(() =>
        {
            Assert.That(Count(4), Is.EqualTo(2), "LoggingIn: the first login and the renewal's");
            Assert.That(Count(5), Is.EqualTo(2), "LoggedIn");
            Assert.That(Count(3), Is.EqualTo(1), "RenewingToken");
            Assert.That(Count(7), Is.EqualTo(2), "CallSucceeded");
            Assert.That(records.Where(r => r.Id.Id is 3 or 4 or 5 && r.Category?.StartsWith("Leaf.Sdk", StringComparison.Ordinal) == true).Select(r => r.Level), Has.All.EqualTo(LogLevel.Information));
            Assert.That(records.Where(r => r.Level >= LogLevel.Warning).Select(r => $"{r.Category}: {r.Message}"), Is.Empty);
            Assert.That(records.Select(r => r.Message), Has.None.Contain(server.Password));
        });
    }
}
