using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.Round9Cancel;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leaf.Sdk.Tests.Round11Hosting;

/// <summary>
/// The SDK called from the contexts apps call it from: a single-threaded SynchronizationContext blocking on the call
/// (sync over async), a TaskScheduler of the app's own, and a caller whose AsyncLocal values and Activity must reach
/// the SDK's logs and spans. Every path a call can take: a plain success, a login, a renewal after a 401, a retry after
/// a back-off, a large body the SDK streams, a problem body, a refused login and a cancellation.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class CallingContextTests
{
    public enum CallPath
    {
        Success,
        Login,
        RenewalAfter401,
        RetryAfterBackOff,
        LargeStreamedBody,
        ProblemBody,
        RefusedLogin,
        Cancellation,

        /// <summary>A token source of the app's, written as the README's VaultTokenSource: awaiting without ConfigureAwait(false).</summary>
        AppsTokenSource,
    }

    [Test]
    public async Task Blocking_on_the_call_on_a_single_threaded_context_never_deadlocks([Values] ClientKind kind, [Values] CallPath path)
    {
        using var leaf = PathServer.For(path);
        using var client = TestClient.Create(kind, leaf.Options);
        using var cancel = new CancellationTokenSource();
        if (path == CallPath.Cancellation)
        {
            _ = Task.Run(async () =>
            {
                await HostedLeaf.UntilAsync(() => leaf.Held.ResourceRequests >= 1, "the request on the wire");
                await cancel.CancelAsync();
            });
        }

        var (result, error, posts) = await SingleThreadedContext.RunAsync(
            () => client.Client.GetResourcesAsync(cancellationToken: cancel.Token).GetAwaiter().GetResult());

        Assert.Multiple(() =>
        {
            leaf.AssertEnded(result, error);
            Assert.That(posts, Is.Zero, "callbacks posted to the blocked thread: a UI thread would run them only after the call, or never");
        });
    }

    [Test]
    public async Task Blocking_on_the_call_inside_a_single_thread_scheduler_never_deadlocks_nor_queues_to_it([Values] ClientKind kind, [Values] CallPath path)
    {
        using var leaf = PathServer.For(path);
        using var client = TestClient.Create(kind, leaf.Options);
        using var scheduler = new SingleThreadScheduler();
        using var cancel = new CancellationTokenSource();
        if (path == CallPath.Cancellation)
        {
            _ = Task.Run(async () =>
            {
                await HostedLeaf.UntilAsync(() => leaf.Held.ResourceRequests >= 1, "the request on the wire");
                await cancel.CancelAsync();
            });
        }

        var blocking = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    return (Result: client.Client.GetResourcesAsync(cancellationToken: cancel.Token).GetAwaiter().GetResult(), Error: (Exception?)null);
                }
                catch (Exception ex)
                {
                    return (Result: (SyncSummaryResponse?)null, Error: ex);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.None,
            scheduler);

        (SyncSummaryResponse? Result, Exception? Error) ended = default;
        try
        {
            ended = await blocking.WaitAsync(HostedLeaf.HangBound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Deadlocked: the call blocking the scheduler's only thread never completed ({scheduler.Queued} task(s) queued to it).");
        }

        Assert.Multiple(() =>
        {
            leaf.AssertEnded(ended.Result, ended.Error);
            Assert.That(scheduler.Queued, Is.EqualTo(1), "tasks the SDK queued to the caller's scheduler (beside the caller's own)");
        });
    }

    [Test]
    public async Task Awaiting_the_call_inside_a_scheduler_of_the_apps_returns_to_it([Values] ClientKind kind)
    {
        using var leaf = PathServer.For(CallPath.RenewalAfter401);
        using var client = TestClient.Create(kind, leaf.Options);
        using var scheduler = new SingleThreadScheduler();

        // The login waits until the caller's code has reached its await: a call that ended before it would let the
        // await go on inline, nothing queued (stop 22's CI, once: 1 task queued, not 2).
        leaf.Held.HoldLoginsFrom = 1;
        var started = Task.Factory.StartNew(
            async () =>
            {
                var response = await client.Client.GetResourcesAsync();
                return (response, BackOnScheduler: TaskScheduler.Current == scheduler);
            },
            CancellationToken.None,
            TaskCreationOptions.None,
            scheduler);
        var call = await started.WaitAsync(HostedLeaf.HangBound);
        leaf.Held.ReleaseLogins();
        var (response, backOnScheduler) = await call.WaitAsync(HostedLeaf.HangBound);

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(backOnScheduler, Is.True, "the caller's code after the await runs on its own scheduler");
            Assert.That(scheduler.Queued, Is.EqualTo(2), "the caller's start and its continuation, nothing of the SDK's");
        });
    }

    private static readonly AsyncLocal<string?> CallerValue = new();

    [Test]
    public async Task The_callers_AsyncLocal_values_and_Activity_reach_every_log_record_and_span_of_the_call([Values] ClientKind kind)
    {
        using var server = new CancelServer { LoginToken = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2)) };

        // One call that logs in, backs off after a 503, renews its token after a 401 and succeeds.
        server.Resources = n => n switch { 1 => Answer.Unavailable, 2 => Answer.Unauthorized, _ => Answer.Ok };
        var options = HostedLeaf.Options(server, login: true);
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        var records = new ConcurrentQueue<(string Category, LogLevel Level, string? Value, ActivityTraceId? Trace)>();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ContextCapturingProvider(records)));
        using var client = TestClient.Create(kind, options, TimeProvider.System, loggerFactory);
        using var caller = new ActivitySource("Round11Hosting.Caller");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Round11Hosting.Caller" or "Leaf.Sdk" or "System.Net.Http",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId trace;
        ActivitySpanId parentSpan;
        using (var parent = caller.StartActivity("caller's operation", ActivityKind.Internal))
        {
            Assert.That(parent, Is.Not.Null);
            trace = parent!.TraceId;
            parentSpan = parent.SpanId;
            CallerValue.Value = "caller-42";
            await client.Client.GetResourcesAsync().WaitAsync(HostedLeaf.HangBound);
            CallerValue.Value = null;
        }

        var sdkRecords = records.Where(r => r.Category.StartsWith("Leaf.Sdk", StringComparison.Ordinal) || r.Category.StartsWith("Polly", StringComparison.Ordinal)).ToList();
        var ours = spans.Where(s => s.TraceId == trace).ToList();
        var leafSpan = ours.SingleOrDefault(s => s.OperationName == "Leaf.GetResources");
        Assert.Multiple(() =>
        {
            Assert.That(sdkRecords.Select(r => r.Category), Does.Contain("Leaf.Sdk.Authentication").And.Contain("Leaf.Sdk.Resilience"), "the call logged in and retried");
            Assert.That(sdkRecords.Where(r => r.Value != "caller-42").Select(r => $"{r.Category} {r.Level}"), Is.Empty, "records that lost the caller's AsyncLocal value");
            Assert.That(sdkRecords.Where(r => r.Trace != trace).Select(r => $"{r.Category} {r.Level}"), Is.Empty, "records outside the caller's trace");
            Assert.That(leafSpan?.ParentSpanId, Is.EqualTo(parentSpan), "the SDK's span is the caller's child");
            Assert.That(
                ours.Where(s => s.Source.Name == "System.Net.Http").Select(s => s.ParentSpanId).Distinct(),
                Is.EqualTo(new[] { leafSpan?.SpanId ?? default }),
                "every HTTP request of the call, the login's included, is inside the SDK's span");
            Assert.That(ours.Count(s => s.Source.Name == "System.Net.Http"), Is.EqualTo(5), "three Sync Summary attempts and two logins");
        });
    }

    /// <summary>The server behind one call path, the options that reach it, and what the call must end with.</summary>
    private sealed class PathServer : IDisposable
    {
        private readonly IDisposable _server;
        private readonly CallPath _path;

        private PathServer(CallPath path, IDisposable server, LeafClientOptions options, CancelServer held)
        {
            _path = path;
            _server = server;
            Options = options;
            Held = held;
        }

        public LeafClientOptions Options { get; }

        /// <summary>The raw server, for the paths it serves (and a stand-in for the others).</summary>
        public CancelServer Held { get; }

        public static PathServer For(CallPath path)
        {
            if (path is CallPath.LargeStreamedBody or CallPath.ProblemBody or CallPath.RefusedLogin)
            {
                var stub = Stub.Start();
                var options = Stub.Options(stub);
                switch (path)
                {
                    case CallPath.LargeStreamedBody:
                        stub.Resources(LargeBody());
                        break;
                    case CallPath.ProblemBody:
                        stub.Resources(AuthStub.Problem(404, "Not Found", "No such Leaf user"), status: 404, contentType: "application/problem+json");
                        break;
                    default:
                        options = AuthStub.LoginOptions(stub);
                        stub.Login(401, AuthStub.Problem(401, "Unauthorized", "Bad credentials"));
                        break;
                }

                var idle = new CancelServer();
                return new PathServer(path, new Both(stub, idle), options, idle);
            }

            var server = new CancelServer { LoginToken = AuthStub.Jwt(DateTimeOffset.UtcNow.AddHours(2)) };
            server.Resources = path switch
            {
                CallPath.RenewalAfter401 => n => n == 1 ? Answer.Unauthorized : Answer.Ok,
                CallPath.RetryAfterBackOff => n => n <= 2 ? Answer.Unavailable : Answer.Ok,
                CallPath.Cancellation => _ => Answer.HoldHeaders,
                _ => _ => Answer.Ok,
            };
            var raw = HostedLeaf.Options(server, login: path is CallPath.Login or CallPath.RenewalAfter401);
            raw.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            if (path == CallPath.AppsTokenSource)
            {
                raw.AccessToken = null;
                raw.TokenSource = new VaultTokenSource();
            }

            return new PathServer(path, server, raw, server);
        }

        public void AssertEnded(SyncSummaryResponse? result, Exception? error)
        {
            switch (_path)
            {
                case CallPath.LargeStreamedBody:
                    Assert.That(result?.Summaries, Has.Count.EqualTo(400), $"the call failed: {error}");
                    break;
                case CallPath.ProblemBody:
                    Assert.That(error, Is.TypeOf<LeafApiException>().With.Property(nameof(LeafApiException.StatusCode)).EqualTo(System.Net.HttpStatusCode.NotFound));
                    break;
                case CallPath.RefusedLogin:
                    Assert.That(error, Is.TypeOf<LeafAuthenticationException>());
                    break;
                case CallPath.Cancellation:
                    Assert.That(error, Is.InstanceOf<OperationCanceledException>());
                    break;
                default:
                    Assert.That(result?.Summaries, Has.Count.EqualTo(1), $"the call failed: {error}");
                    break;
            }
        }

        public void Dispose() => _server.Dispose();

        // 400 summaries, about 80 KB: well past the 16 KB the SDK reads whole, so it streams.
        private static string LargeBody()
        {
            var body = new StringBuilder("{\"message\":\"SUCCESS\",\"summaries\":[");
            for (var i = 0; i < 400; i++)
            {
                body.Append(i == 0 ? "" : ",").Append(
                    $$"""{"provider":"JohnDeere","leafUserId":"{{Guid.NewGuid()}}","growers":{{i}},"farms":12,"fields":100,"syncReferenceTime":"2023-08-30T18:39:33.230612Z"}""");
            }

            return body.Append("]}").ToString();
        }

        private sealed class Both(IDisposable first, IDisposable second) : IDisposable
        {
            public void Dispose()
            {
                first.Dispose();
                second.Dispose();
            }
        }
    }

    [Test]
    public async Task A_handler_of_the_apps_that_awaits_without_ConfigureAwait_does_not_deadlock_a_blocked_single_threaded_context()
    {
        using var server = new CancelServer();
        using var client = TestClient.Create(ClientKind.DependencyInjection, HostedLeaf.Options(server, login: false), client: b => b.AddHttpMessageHandler(() => new AppsHandler()));

        var (result, error, posts) = await SingleThreadedContext.RunAsync(() => client.Client.GetResourcesAsync().GetAwaiter().GetResult());

        Assert.Multiple(() =>
        {
            Assert.That(result?.Summaries, Has.Count.EqualTo(1), $"the call failed: {error}");
            Assert.That(posts, Is.Zero, "callbacks posted to the blocked thread");
        });
    }

    /// <summary>As the README's VaultTokenSource: app code, which awaits as app code does, without ConfigureAwait(false).</summary>
    private sealed class VaultTokenSource : ILeafTokenSource
    {
        public async ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
        {
            await Task.Delay(1, cancellationToken);   // the vault call
            return "vault-token";
        }
    }

    /// <summary>A handler of the app's (a header from its own store), written as app code is.</summary>
    private sealed class AppsHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(1, cancellationToken);
            request.Headers.Add("X-App", "1");
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Keeps, for every record, the caller's AsyncLocal value and the trace current when it was written.</summary>
    private sealed class ContextCapturingProvider(ConcurrentQueue<(string Category, LogLevel Level, string? Value, ActivityTraceId? Trace)> records) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, records);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<(string, LogLevel, string?, ActivityTraceId?)> records) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                records.Enqueue((category, logLevel, CallerValue.Value, Activity.Current?.TraceId));
        }
    }
}
