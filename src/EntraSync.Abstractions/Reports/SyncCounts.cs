namespace EntraSync;

/// <summary>How many users each action touched in one run.</summary>
public sealed class SyncCounts
{
    /// <summary>Gets users read from the directory.</summary>
    public int Read { get; init; }

    /// <summary>Gets employees created.</summary>
    public int Created { get; init; }

    /// <summary>Gets local employees linked to a directory user by email.</summary>
    public int Linked { get; init; }

    /// <summary>Gets employees whose fields changed.</summary>
    public int Updated { get; init; }

    /// <summary>Gets employees already up to date (no write).</summary>
    public int Unchanged { get; init; }

    /// <summary>Gets deactivated employees whose directory user came back.</summary>
    public int Reactivated { get; init; }

    /// <summary>Gets employees deactivated (soft deleted).</summary>
    public int Deactivated { get; init; }

    /// <summary>Gets employees deleted.</summary>
    public int Deleted { get; init; }

    /// <summary>Gets deactivated employees purged after the retention period.</summary>
    public int Purged { get; init; }

    /// <summary>Gets removals staged for approval instead of applied.</summary>
    public int Staged { get; init; }

    /// <summary>Gets users skipped (missing mandatory field, duplicate email, invalid record).</summary>
    public int Skipped { get; init; }

    /// <summary>Gets users out of the tenant's scope.</summary>
    public int OutOfScope { get; init; }

    /// <summary>Gets users imported without a unit or user type.</summary>
    public int Unassigned { get; init; }

    /// <summary>Gets employees whose removal the policy kept.</summary>
    public int Kept { get; init; }

    /// <summary>Gets the number of writes the run made or planned (every action except unchanged, skipped, out of scope and kept).</summary>
    public int Changes => Created + Linked + Updated + Reactivated + Deactivated + Deleted + Purged;

    /// <inheritdoc />
    public override string ToString() =>
        $"read {Read}, created {Created}, linked {Linked}, updated {Updated}, unchanged {Unchanged}, reactivated {Reactivated}, " +
        $"deactivated {Deactivated}, deleted {Deleted}, purged {Purged}, staged {Staged}, skipped {Skipped}, out of scope {OutOfScope}";
}
