namespace Leaf.Sdk.Benchmarks.Contenders;

/// <summary>The plain DTOs a hand-written client would declare: one per JSON object, nothing more.</summary>
public sealed class SummaryEnvelopeDto
{
    /// <summary>Leaf's status message.</summary>
    public string? Message { get; set; }

    /// <summary>The summaries.</summary>
    public List<SummaryDto>? Summaries { get; set; }
}
