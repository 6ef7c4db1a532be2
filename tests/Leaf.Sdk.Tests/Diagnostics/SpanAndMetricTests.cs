using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.ResponseBuilders;

// Not "Leaf.Sdk.Tests.Diagnostics": inside Leaf.Sdk.Tests.* that name would hide Leaf.Sdk.Diagnostics.
namespace Leaf.Sdk.Tests.LogsAndTraces;

/// <summary>The SDK's span and Polly's metrics, as a tracing or metrics exporter sees them.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SpanAndMetricTests
{
    [Test]
    public async Task The_span_is_a_child_of_the_caller_s_and_Leaf_receives_the_trace([Values] ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var spans = new SpanRecorder();
        using var client = TestClient.Create(kind, Stub.Options(server));

        using (var parent = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            spans.TraceId = parent.TraceId;
            await client.Client.GetResourcesAsync(Provider.JohnDeere);
            var span = spans.Recorded.Single();
            var traceparent = server.LogEntries.Single().RequestMessage!.Headers!["traceparent"].Single();
            Assert.Multiple(() =>
            {
                Assert.That(span.ParentSpanId, Is.EqualTo(parent.SpanId));
                Assert.That(span.OperationName, Is.EqualTo("Leaf.GetResources"));
                Assert.That(span.Status, Is.Not.EqualTo(ActivityStatusCode.Error));
                Assert.That(span.GetTagItem("leaf.provider"), Is.EqualTo("JohnDeere"));
                Assert.That(span.GetTagItem("leaf.attempts"), Is.EqualTo(1));
                Assert.That(traceparent, Does.Contain(parent.TraceId.ToHexString()), "Leaf sees the caller's trace");
                Assert.That(Activity.Current, Is.SameAs(parent), "the SDK's span is not left current");
            });
        }
    }

    [Test]
    public async Task A_cancelled_call_s_span_is_stopped_with_an_error([Values] ClientKind kind)
    {
        using var server = Stub.Start();
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(Stub.ResourcesPath).UsingGet())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(5)).WithBody(LeafJson.DocumentedExample));
        using var spans = new SpanRecorder();
        using var client = TestClient.Create(kind, Stub.Options(server));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));

        OperationCanceledException thrown;
        using (var parent = new Activity("caller").Start())
        {
            spans.TraceId = parent.TraceId;
            thrown = (await Assert.CatchAsync<OperationCanceledException>(async () => await client.Client.GetResourcesAsync(cancellationToken: cancel.Token)))!;
        }

        var span = spans.Recorded.Single();
        Assert.Multiple(() =>
        {
            Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(span.StatusDescription, Is.Not.Empty);
            Assert.That(span.GetTagItem("error.type"), Is.EqualTo(thrown.GetType().FullName), "the type of the exception the caller saw");
            Assert.That(span.Duration, Is.GreaterThan(TimeSpan.Zero), "stopped");
        });
    }

    [Test]
    public async Task No_token_or_password_reaches_a_span_or_a_metric_and_Polly_s_metrics_name_the_pipeline([Values] ClientKind kind)
    {
        var password = "Pw-" + Guid.NewGuid().ToString("N");
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { Password = password });
        using var spans = new SpanRecorder(allSources: true);
        var metricTags = new ConcurrentQueue<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Polly")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<int>((_, _, tags, _) => metricTags.Enqueue(Describe(tags)));
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) => metricTags.Enqueue(Describe(tags)));
        meters.SetMeasurementEventCallback<double>((_, _, tags, _) => metricTags.Enqueue(Describe(tags)));
        meters.Start();
        var tokens = new List<string> { server.AccessToken };

        using (var parent = new Activity("caller").Start())
        {
            spans.TraceId = parent.TraceId;
            var options = server.CreateLoginOptions();
            options.Password = password;
            using (var login = TestClient.Create(kind, options))
            {
                await login.Client.GetResourcesAsync();
                tokens.Add(await login.TokenSource.GetTokenAsync(forceRenewal: false, CancellationToken.None));
                server.RevokeTokens();
                await login.Client.GetResourcesAsync();
                tokens.Add(await login.TokenSource.GetTokenAsync(forceRenewal: false, CancellationToken.None));
            }

            var wrong = server.CreateLoginOptions();
            wrong.Password = "Wrong-" + Guid.NewGuid().ToString("N");
            using var refused = TestClient.Create(kind, wrong);
            Assert.That(async () => await refused.Client.GetResourcesAsync(), Throws.InstanceOf<LeafApiException>());
            tokens.Add(wrong.Password);
        }

        var spanTexts = spans.Recorded.Select(Describe).ToList();
        var secrets = tokens.Append(password).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(spans.Recorded.Count(a => a.Source.Name == "Leaf.Sdk"), Is.EqualTo(3), "one span per call");
            foreach (var secret in secrets)
            {
                Assert.That(spanTexts, Has.None.Contain(secret), "span tags, events, status");
                Assert.That(metricTags, Has.None.Contain(secret), "metric tags");
            }

            Assert.That(metricTags, Has.Some.Contain("pipeline.name=Leaf.Sdk"), "Polly's metrics name the SDK's pipeline");
        });
    }

    private static string Describe(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(" | ", parts);
    }

    private static string Describe(Activity a) =>
        $"{a.Source.Name} {a.OperationName} {a.DisplayName} {a.Status} {a.StatusDescription} | "
        + string.Join(" | ", a.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " | "
        + string.Join(" | ", a.Events.Select(e => e.Name + " " + string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}")))) + " | "
        + string.Join(" | ", a.Baggage.Select(b => $"{b.Key}={b.Value}"));
}
