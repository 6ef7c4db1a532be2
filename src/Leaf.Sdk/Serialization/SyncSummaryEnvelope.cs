namespace Leaf.Sdk.Serialization;

/// <summary>The current response shape: <c>{"message": ..., "summaries": [...]}</c>.</summary>
internal sealed class SyncSummaryEnvelope
{
    public string? Message { get; set; }

    public List<SyncSummary?>? Summaries { get; set; }
}
