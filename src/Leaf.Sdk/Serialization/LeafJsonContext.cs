using System.Text.Json.Serialization;
using Leaf.Sdk.Authentication;

namespace Leaf.Sdk.Serialization;

/// <summary>All JSON the SDK reads or writes, source-generated: no reflection, trimming- and AOT-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SyncSummaryConverter)])]
[JsonSerializable(typeof(SyncSummaryEnvelope))]
[JsonSerializable(typeof(List<SyncSummary?>))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
internal sealed partial class LeafJsonContext : JsonSerializerContext;
