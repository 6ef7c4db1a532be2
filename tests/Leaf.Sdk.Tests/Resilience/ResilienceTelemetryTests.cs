using System.Diagnostics;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.Telemetry;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>What a retrying call tells the outside world: log events, Polly's telemetry and a trace span.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ResilienceTelemetryTests
{
    [Test]
    public async Task Each_retry_logs_one_warning_with_attempt_delay_and_reason([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(2, () => ResilienceHarness.Status(502).WithHeader("Retry-After", "3"));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        var events = h.RetryEvents;
        Assert.That(events, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Level), Has.All.EqualTo(LogLevel.Warning));
            Assert.That(events.Select(e => State(e, "Attempt")), Is.EqualTo(new[] { "1", "2" }));
            Assert.That(events.Select(e => State(e, "Reason")), Has.All.EqualTo("502 BadGateway"));
            Assert.That(events.Select(FaultMatrixTests.DelayMs), Has.All.EqualTo(3000.0));
            Assert.That(events[0].Message, Is.EqualTo("Retrying Leaf call after attempt 1 failed with 502 BadGateway; waiting 3000 ms"));
            Assert.That(events.Select(e => e.Message), Has.None.Contain(Stub.Token));
        });
    }

    [Test]
    public async Task Each_attempt_is_logged_by_the_SDK_and_IHttpClientFactory_logs_nothing([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(1, () => ResilienceHarness.Status(503));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        var records = h.Logs.Collector.GetSnapshot();
        var answered = records.Where(r => r.Category == "Leaf.Sdk.Authentication" && r.Id.Id == 9).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(h.AttemptsSent, Is.EqualTo(2), "one 'Sending' event per attempt");
            Assert.That(answered.Select(r => State(r, "StatusCode")), Is.EqualTo(new[] { "503", "200" }));
            Assert.That(answered.Select(r => State(r, "Attempt")), Is.EqualTo(new[] { "1", "2" }));
            Assert.That(answered.Select(r => r.Level), Has.All.EqualTo(LogLevel.Debug));
            Assert.That(records.Select(r => r.Category), Has.None.StartsWith("System.Net.Http.HttpClient"),
                "AddLeafSdk removes IHttpClientFactory's logging handlers, so DI logs exactly what the standalone client does");
        });
    }

    [Test]
    public async Task Polly_telemetry_is_switched_on([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(1, () => ResilienceHarness.Status(503));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        var polly = h.Logs.Collector.GetSnapshot().Where(r => r.Category == "Polly").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(polly.Select(r => r.Message), Has.Some.Contain("OnRetry"), "Polly reports its resilience events");
            Assert.That(polly.Select(r => r.Message), Has.Some.Contain("Leaf.Sdk"), "events name the SDK's pipeline");
            Assert.That(polly.Select(r => r.Message), Has.Some.Contain("Execution attempt"), "Polly reports each attempt");
        });
    }

    // Polly's default is Information for an attempt that ends well and for the end of every call (two log lines per call
    // in an app that logs at Information), and Warning for a failed attempt, beside its OnRetry Warning and the SDK's own
    // Retrying Warning. The SDK lowers Polly's per-attempt events to Debug: its Retrying event is the one Warning.
    [Test]
    public async Task Polly_reports_every_attempt_at_Debug([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(1, () => ResilienceHarness.Status(503));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        var attempts = h.PollyAttemptEvents;
        Assert.Multiple(() =>
        {
            Assert.That(attempts.Select(r => State(r, "Handled")), Is.EqualTo(new[] { "True", "False" }));
            Assert.That(attempts.Select(r => r.Level), Is.EqualTo(new[] { LogLevel.Debug, LogLevel.Debug }));
        });
    }

    [Test]
    public async Task A_retried_call_that_succeeds_logs_one_warning_per_retry_and_nothing_else_above_Debug(
        [Values] ClientKind kind, [Values(503, 429)] int status)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(2, () => ResilienceHarness.Status(status));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        AssertOneWarningPerRetry(h, retries: 2);
    }

    [Test]
    public async Task A_timed_out_attempt_that_is_retried_logs_one_warning_and_nothing_else_above_Debug([Values] ClientKind kind)
    {
        // Polly adds its OnTimeout to the failed attempt and its OnRetry; a server that never answers, so only the fake
        // clock decides.
        using var raw = new RawHttpServer(n => n == 1 ? [] : RawHttpServer.Ok, stallAfterReply: true);
        using var h = new ResilienceHarness(kind, o => o.AttemptTimeout = TimeSpan.FromSeconds(10), baseAddress: raw.Url);

        await h.DriveAsync(() => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () => raw.Requests >= h.AttemptsSent);

        Assert.That(h.RetryEvents.Single().Message, Does.Contain("attempt time-out"));
        AssertOneWarningPerRetry(h, retries: 1);
    }

    private static void AssertOneWarningPerRetry(ResilienceHarness h, int retries)
    {
        var aboveDebug = h.Logs.Collector.GetSnapshot().Where(r => r.Level > LogLevel.Debug).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(aboveDebug.Select(r => $"{r.Level} {r.Category}: {r.Message}").ToList(), Has.Count.EqualTo(retries), "one line per retry");
            Assert.That(aboveDebug, Is.EquivalentTo(h.RetryEvents), "the SDK's Retrying events");
            Assert.That(aboveDebug.Select(r => r.Level), Has.All.EqualTo(LogLevel.Warning));
        });
    }

    [Test]
    public async Task A_call_that_succeeds_at_once_logs_nothing_at_Information_or_above([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.Always(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        var records = h.Logs.Collector.GetSnapshot();
        Assert.Multiple(() =>
        {
            Assert.That(records.Where(r => r.Category == "Polly").Select(r => r.Message), Has.Some.StartsWith("Execution attempt"), "Polly still reports the attempt");
            Assert.That(records.Where(r => r.Category == "Polly").Select(r => r.Message), Has.Some.StartsWith("Resilience pipeline executed"), "and the call");
            Assert.That(records.Where(r => r.Level >= LogLevel.Information).Select(r => $"{r.Category}: {r.Message}"), Is.Empty);
        });
    }

    [Test]
    public async Task Polly_s_records_show_each_attempt_s_status_code([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(1, () => Response.Create().WithStatusCode(503));

        await h.DriveAsync(() => h.Client.GetResourcesAsync());

        var attempts = h.PollyAttemptEvents;
        Assert.That(attempts.Select(r => State(r, "Result")), Is.EqualTo(new[] { "503", "200" }));
    }

    [Test]
    public void A_status_code_is_shown_from_one_shared_box_and_any_other_result_as_it_is()
    {
        var context = Polly.ResilienceContextPool.Shared.Get();
        try
        {
            using var ok = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
            using var again = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
            using var odd = new HttpResponseMessage((System.Net.HttpStatusCode)799);
            object? Format(object? result) => Leaf.Sdk.Resilience.LeafResiliencePipelineFactory.FormatResult(context, result);

            Assert.Multiple(() =>
            {
                Assert.That(Format(ok), Is.EqualTo(200));
                Assert.That(Format(again), Is.SameAs(Format(ok)), "one box per status code, not one per call");
                Assert.That(Format(odd), Is.EqualTo(799));
                Assert.That(Format(null), Is.Null);
                Assert.That(Format("not a response"), Is.EqualTo("not a response"));
            });
        }
        finally
        {
            Polly.ResilienceContextPool.Shared.Return(context);
        }
    }

    [Test]
    public void Polly_s_per_call_and_per_attempt_events_are_lowered_to_Debug_and_the_breaker_s_keep_their_severity()
    {
        var context = Polly.ResilienceContextPool.Shared.Get();
        try
        {
            ResilienceEventSeverity Map(string name, ResilienceEventSeverity severity) =>
                Leaf.Sdk.Resilience.LeafResiliencePipelineFactory.Severity(new SeverityProviderArguments(
                    new ResilienceTelemetrySource("Leaf.Sdk", null, null), new ResilienceEvent(severity, name), context));

            Assert.Multiple(() =>
            {
                Assert.That(Map("ExecutionAttempt", ResilienceEventSeverity.Information), Is.EqualTo(ResilienceEventSeverity.Debug));
                Assert.That(Map("ExecutionAttempt", ResilienceEventSeverity.Warning), Is.EqualTo(ResilienceEventSeverity.Debug));
                Assert.That(Map("ExecutionAttempt", ResilienceEventSeverity.Error), Is.EqualTo(ResilienceEventSeverity.Debug));
                Assert.That(Map("PipelineExecuted", ResilienceEventSeverity.Information), Is.EqualTo(ResilienceEventSeverity.Debug));
                Assert.That(Map("PipelineExecuting", ResilienceEventSeverity.Debug), Is.EqualTo(ResilienceEventSeverity.Debug));
                Assert.That(Map("OnRetry", ResilienceEventSeverity.Warning), Is.EqualTo(ResilienceEventSeverity.Debug));
                Assert.That(Map("OnCircuitClosed", ResilienceEventSeverity.Information), Is.EqualTo(ResilienceEventSeverity.Information));
                Assert.That(Map("OnCircuitHalfOpened", ResilienceEventSeverity.Warning), Is.EqualTo(ResilienceEventSeverity.Warning));
                Assert.That(Map("OnRetry", ResilienceEventSeverity.None), Is.EqualTo(ResilienceEventSeverity.None));
                Assert.That(Map("OnCircuitOpened", ResilienceEventSeverity.Error), Is.EqualTo(ResilienceEventSeverity.Error));
                Assert.That(Map("OnTimeout", ResilienceEventSeverity.Error), Is.EqualTo(ResilienceEventSeverity.Debug));
            });
        }
        finally
        {
            Polly.ResilienceContextPool.Shared.Return(context);
        }
    }

    [Test]
    public async Task Each_call_is_one_client_span_with_its_attempts([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind);
        h.FailThenSucceed(1, () => ResilienceHarness.Status(503));
        using var spans = new SpanRecorder();

        using (var parent = new Activity("test-root").Start())
        {
            await h.DriveAsync(() => h.Client.GetResourcesAsync(Provider.JohnDeere));
            spans.TraceId = parent.TraceId;
        }

        var span = spans.Recorded.Single();
        Assert.Multiple(() =>
        {
            Assert.That(span.Source.Name, Is.EqualTo("Leaf.Sdk"));
            Assert.That(span.OperationName, Is.EqualTo("Leaf.GetResources"));
            Assert.That(span.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Unset));
            Assert.That(span.GetTagItem("leaf.attempts"), Is.EqualTo(2));
            Assert.That(span.GetTagItem("leaf.provider"), Is.EqualTo("JohnDeere"));
            Assert.That(span.GetTagItem("error.type"), Is.Null, "only a failed call has an error.type");
        });
    }

    [Test]
    public async Task A_failed_call_is_one_span_with_an_error_status([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 1);
        h.Always(ResilienceHarness.Status(500));
        using var spans = new SpanRecorder();

        using (var parent = new Activity("test-root").Start())
        {
            spans.TraceId = parent.TraceId;
            Assert.That(async () => await h.DriveAsync(() => h.Client.GetResourcesAsync()), Throws.InstanceOf<LeafApiException>());
        }

        var span = spans.Recorded.Single();
        Assert.Multiple(() =>
        {
            Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(span.StatusDescription, Does.Contain("Leaf answered 500"));
            Assert.That(span.GetTagItem("leaf.attempts"), Is.EqualTo(2));
            Assert.That(span.GetTagItem("error.type"), Is.EqualTo("500"));
        });
    }

    public enum Failure
    {
        /// <summary>Leaf answers 404: not retried.</summary>
        NotFound,

        /// <summary>Nothing listens on the port.</summary>
        ConnectionRefused,

        /// <summary>The server reads the request and never answers.</summary>
        AttemptTimeout,

        /// <summary>A 200 whose body is no Sync Summary.</summary>
        UnreadableBody,
    }

    // OpenTelemetry's error.type, with the values .NET's own HttpClient spans use, so a dashboard can group the SDK's
    // failures by kind without parsing the status description.
    [Test]
    public async Task A_failed_call_s_span_names_the_kind_of_failure_in_error_type([Values] ClientKind kind, [Values] Failure failure)
    {
        using var closed = new ClosedPort();
        using var raw = new RawHttpServer(_ => [], stallAfterReply: true);
        var baseAddress = failure switch
        {
            Failure.ConnectionRefused => closed.Url,
            Failure.AttemptTimeout => raw.Url,
            _ => null,
        };
        using var h = new ResilienceHarness(kind, o => o.MaxRetries = 0, baseAddress: baseAddress);
        h.Always(failure == Failure.UnreadableBody
            ? Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"summaries": 7}""")
            : ResilienceHarness.Status(404));
        using var spans = new SpanRecorder();

        LeafApiException error;
        using (var parent = new Activity("test-root").Start())
        {
            spans.TraceId = parent.TraceId;
            error = await FaultMatrixTests.CatchAsync(h, () => h.Client.GetResourcesAsync(), TimeSpan.FromSeconds(1), () => raw.Requests >= h.AttemptsSent);
        }

        var span = spans.Recorded.Single();
        var expected = failure switch
        {
            Failure.NotFound => "404",
            Failure.ConnectionRefused => "connection_error",
            Failure.AttemptTimeout => "timeout",
            _ => "Leaf.Sdk.LeafApiException",
        };
        Assert.Multiple(() =>
        {
            Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(span.GetTagItem("error.type"), Is.EqualTo(expected), error.Message);
            Assert.That(span.GetTagItem("leaf.attempts"), Is.EqualTo(error.Attempts));
        });
    }

    // The span, the log event and the exception count the same attempts: for a failed login, the login's.
    [Test]
    public async Task A_failed_login_s_span_counts_the_login_s_attempts_as_the_exception_does([Values] ClientKind kind)
    {
        using var h = new ResilienceHarness(kind, o =>
        {
            o.MaxRetries = 1;
            o.AccessToken = null;
            o.Username = Authentication.AuthStub.Username;
            o.Password = Authentication.AuthStub.Password;
        });
        h.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(Authentication.AuthStub.LoginPath).UsingPost())
            .RespondWith(ResilienceHarness.Status(503));
        using var spans = new SpanRecorder();

        LeafApiException error;
        using (var parent = new Activity("test-root").Start())
        {
            spans.TraceId = parent.TraceId;
            error = await FaultMatrixTests.CatchAsync(h, () => h.Client.GetResourcesAsync());
        }

        var span = spans.Recorded.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.Attempts, Is.EqualTo(2), error.Message);
            Assert.That(span.GetTagItem("leaf.attempts"), Is.EqualTo(2));
            Assert.That(span.GetTagItem("error.type"), Is.EqualTo("503"));
            Assert.That(h.Requests, Is.Zero, "no Sync Summary request was sent");
        });
    }

    // HttpClient's 100 s default would end a call the pipeline allows to run longer. The user's own setting is
    // overridden too: the SDK's AttemptTimeout and TotalTimeout are the only limits.
    [Test]
    public async Task HttpClient_timeout_never_cuts_the_pipeline_short_even_when_a_user_sets_one()
    {
        using var h = new ResilienceHarness(ClientKind.DependencyInjection, fakeTime: false);
        h.Services = s => s.ConfigureHttpClientDefaults(b => b.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromMilliseconds(50)));
        h.Always(Response.Create().WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample).WithDelay(TimeSpan.FromMilliseconds(300)));

        var response = await h.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(1));
    }

    // The standalone constructor and the DI typed client both configure their HttpClient through this one method.
    [Test]
    public void The_shared_pipeline_gives_every_HttpClient_an_infinite_timeout()
    {
        var options = new LeafClientOptions { AccessToken = Stub.Token };
        var pipeline = new Http.LeafHttpPipeline(options, null, () => throw new InvalidOperationException(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        using var client = new HttpClient();

        pipeline.ConfigureHttpClient(client);

        Assert.That(client.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
    }

    private static string? State(Microsoft.Extensions.Logging.Testing.FakeLogRecord record, string key) =>
        record.StructuredState!.Single(p => p.Key == key).Value;
}
