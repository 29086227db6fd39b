namespace EntraSync.Sync.Planning;

/// <summary>
/// What the planner decided for one page (or for the end of a run): the store changes, in order, each with its kind
/// (create, update with its field diff, link, reactivate, deactivate, delete, purge) and reason. Users skipped, out of
/// scope, unchanged or held back are not changes: their outcome (with the reason) is in the run's ledger.
/// A dry run plans exactly the same changes and only does not apply them.
/// </summary>
internal sealed class SyncPlan
{
    /// <summary>A plan with no changes.</summary>
    public static SyncPlan None => new([]);

    /// <summary>Initializes a new instance of the <see cref="SyncPlan"/> class.</summary>
    /// <param name="changes">The changes, in the order they are applied.</param>
    public SyncPlan(List<EmployeeChange> changes) => Changes = changes;

    /// <summary>Gets the changes, in the order they are applied.</summary>
    public List<EmployeeChange> Changes { get; }

    /// <summary>Gets how many changes of <paramref name="kind"/> the plan holds.</summary>
    public int Count(EmployeeChangeKind kind) => Changes.Count(c => c.Kind == kind);
}
