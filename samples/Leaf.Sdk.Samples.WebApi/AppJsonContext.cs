using System.Text.Json;
using System.Text.Json.Serialization;
using Leaf.Sdk;

namespace LeafWebApi;

/// <summary>Source-generated JSON for the app's own bodies: no reflection, enums as names.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SyncResult))]
[JsonSerializable(typeof(List<SyncFinding>))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
