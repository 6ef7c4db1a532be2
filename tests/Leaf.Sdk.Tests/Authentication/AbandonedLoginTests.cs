using System.Runtime.CompilerServices;
using Leaf.Sdk.Authentication;
using Leaf.Sdk.Tests.Resilience;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>
/// A login that every caller gave up on may still fail; its failure must not surface as an unobserved task exception.
/// The event is process-wide, so only exceptions carrying this test's marker count.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class AbandonedLoginTests
{
    [Test]
    public async Task A_failed_login_nobody_waits_for_is_observed()
    {
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        var unobserved = 0;
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains(marker, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref unobserved);
            }
        }

        using var server = Stub.Start();
        server.Login(500, AuthStub.Problem(500, "Internal Server Error", marker), TimeSpan.FromMilliseconds(200));
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await AbandonLogin(server);
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        Assert.That(server.LoginRequests(), Is.EqualTo(1));
        Assert.That(unobserved, Is.Zero);
    }

    // Kept out of line so no local of the test method keeps the client or its tasks alive for the GC.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task AbandonLogin(WireMock.Server.WireMockServer server)
    {
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var client = TestClient.Create(ClientKind.Standalone, AuthStub.LoginOptions(server), loggerFactory: loggerFactory);
        var source = (LeafLoginTokenSource)client.TokenSource;
        using var cts = new CancellationTokenSource();
        var call = client.Client.GetResourcesAsync(cancellationToken: cts.Token);
        while (source.LoginCount == 0)
        {
            await Task.Delay(5);
        }

        await cts.CancelAsync();
        await Expect.Cancelled(call);

        // The abandoned login must have failed before the test collects garbage, or there is nothing to observe: its
        // "login failed" event comes just before its task faults.
        await ResilienceHarness.WaitUntilAsync(
            () => logs.Collector.GetSnapshot().Any(r => r.Id.Id == 6 && r.Category == "Leaf.Sdk.Authentication"),
            "the abandoned login failed");
        await Task.Delay(50);
    }
}
