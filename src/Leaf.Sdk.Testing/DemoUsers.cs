namespace Leaf.Sdk.Testing;

/// <summary>The Leaf users of <see cref="DemoData"/>, each showing a different state of a connection.</summary>
public static class DemoUsers
{
    /// <summary>Every connection healthy and synced within the hour: John Deere, Climate FieldView, CNHI FieldOps, Trimble.</summary>
    public static readonly Guid Healthy = new("5b7d1f3e-2c4a-4e8b-9f10-1a2b3c4d5e6f");

    /// <summary>CNHI, Raven, AgVance, Stara and Sentera; Raven last synced nine days ago.</summary>
    public static readonly Guid Stale = new("8c2e4a6b-1d3f-4b5a-8e7c-9d0e1f2a3b4c");

    /// <summary>
    /// Needs attention: John Deere without its grower level, a Trimble connection with no fields, Climate FieldView with
    /// 0 farms, Sentera reporting farms (a level it does not expose) and no sync time, and a provider this SDK does not know.
    /// </summary>
    public static readonly Guid NeedsAttention = new("e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b");
}
