namespace EntraSync.Preview;

/// <summary>Counts of a preview.</summary>
public sealed class SyncPreviewTotals
{
    /// <summary>Gets the users read.</summary>
    public int Read { get; init; }

    /// <summary>Gets the users that would be imported (in scope and not skipped).</summary>
    public int Imported { get; init; }

    /// <summary>Gets the users out of scope.</summary>
    public int OutOfScope { get; init; }

    /// <summary>Gets the users that would be skipped (missing mandatory field, duplicate email, unreadable record).</summary>
    public int Skipped { get; init; }

    /// <summary>Gets the imported users that would have no unit or no user type (only when matching is configured).</summary>
    public int Unassigned { get; init; }

    /// <summary>Gets how many users each exclusion reason put out of scope.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, int> OutOfScopeByReason { get; init; } = new Dictionary<string, int>();

    /// <summary>Gets how many users each skip reason skipped.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<SkipReason, int> SkippedByReason { get; init; } = new Dictionary<SkipReason, int>();

    /// <inheritdoc />
    public override string ToString() => $"read {Read}, imported {Imported}, out of scope {OutOfScope}, skipped {Skipped}, unassigned {Unassigned}";
}
