using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leaf.Sdk.Benchmarks.Contenders;

/// <summary>The source-generated context a hand-written client (and a Refit user following Refit's advice) would add.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SummaryEnvelopeDto))]
public sealed partial class BenchJsonContext : JsonSerializerContext;
