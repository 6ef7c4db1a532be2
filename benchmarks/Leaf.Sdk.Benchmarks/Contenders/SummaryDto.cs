namespace Leaf.Sdk.Benchmarks.Contenders;

/// <summary>One summary, as plain as it gets: the provider stays a string.</summary>
public sealed class SummaryDto
{
    /// <summary>The provider's API name.</summary>
    public string? Provider { get; set; }

    /// <summary>The Leaf user.</summary>
    public Guid LeafUserId { get; set; }

    /// <summary>Growers, absent for providers without the level.</summary>
    public int? Growers { get; set; }

    /// <summary>Farms, absent for providers without the level.</summary>
    public int? Farms { get; set; }

    /// <summary>Fields.</summary>
    public int? Fields { get; set; }

    /// <summary>When the counts were taken.</summary>
    public DateTimeOffset? SyncReferenceTime { get; set; }
}
