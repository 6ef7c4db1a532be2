using System.Diagnostics;

namespace Leaf.Sdk.Diagnostics;

/// <summary>The SDK's tracing source: one span per SDK operation, named <c>Leaf.Sdk</c>.</summary>
internal static class LeafTelemetry
{
    public const string SourceName = "Leaf.Sdk";

    public static readonly ActivitySource Source = new(SourceName, typeof(LeafTelemetry).Assembly.GetName().Version?.ToString());
}
