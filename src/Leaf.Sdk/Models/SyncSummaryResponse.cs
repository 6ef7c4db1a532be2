using System.Text;

namespace Leaf.Sdk;

/// <summary>
/// The answer of Leaf's Sync Summary endpoint: one <see cref="SyncSummary"/> per provider and Leaf user.
/// </summary>
/// <remarks>
/// Two responses are equal when their messages are equal and their summaries are equal one by one, in order, so two
/// reads of the same answer compare equal.
/// </remarks>
public sealed record SyncSummaryResponse
{
    /// <summary>Leaf's status message (<c>SUCCESS</c>), or <see langword="null"/> for the older bare-array shape.</summary>
    public string? Message { get; init; }

    /// <summary>The summaries; empty, never <see langword="null"/>, when nothing synced.</summary>
    /// <remarks>Set to <see langword="null"/> (or read as JSON <c>null</c>), it is empty.</remarks>
    // Coerced, not refused: System.Text.Json sets "summaries": null as it is, and the non-null getter then gave null
    // to SyncChecks and SyncComparison, which failed deep inside LINQ.
    public IReadOnlyList<SyncSummary> Summaries { get; init => field = value ?? []; } = [];

    /// <summary>Whether <paramref name="other"/> has the same message and equal summaries in the same order.</summary>
    /// <param name="other">The response to compare with.</param>
    /// <returns><see langword="true"/> when both carry the same answer.</returns>
    // The generated equality compares the list by reference, so two reads of one answer were never equal.
    public bool Equals(SyncSummaryResponse? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Message, other.Message, StringComparison.Ordinal) && (Summaries ?? []).SequenceEqual(other.Summaries ?? [])));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Message, StringComparer.Ordinal);
        foreach (var summary in Summaries ?? [])
        {
            hash.Add(summary);
        }

        return hash.ToHashCode();
    }

    // The generated ToString printed the list's type name ("System.Collections.Generic.List`1[...]"), not the summaries.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Message = ").Append(Message).Append(", Summaries = [ ");
        var first = true;
        foreach (var summary in Summaries ?? [])
        {
            builder.Append(first ? string.Empty : ", ").Append(summary);
            first = false;
        }

        builder.Append(first ? "]" : " ]");
        return true;
    }
}
