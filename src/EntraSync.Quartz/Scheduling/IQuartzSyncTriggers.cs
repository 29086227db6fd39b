namespace EntraSync.Quartz;

/// <summary>
/// "Sync now" and approvals as one-shot Quartz triggers: the run happens on whichever node of the cluster picks it
/// up, never beside the tenant's scheduled run (one execution per tenant at a time), and a trigger stored while every
/// node is down fires once when one comes back. Registered by <c>AddQuartzScheduling</c>.
/// </summary>
/// <remarks>
/// Calling <see cref="IEntraUserSync"/> directly still works beside Quartz (the run lease keeps one run per tenant); use
/// these when the request should survive the web server that took it and run on the worker fleet.
/// </remarks>
public interface IQuartzSyncTriggers
{
    /// <summary>Stores a one-shot trigger that syncs the tenant as soon as a node is free ("Sync now").</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="mode">Incremental, or <see cref="SyncMode.Full"/> for "Initiate synchronisation".</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>A task that completes when the trigger is stored (not when the run ends).</returns>
    Task SyncNowAsync(string tenantId, SyncMode mode = SyncMode.Incremental, CancellationToken cancellationToken = default);

    /// <summary>Stores a one-shot trigger that approves and applies the tenant's pending staged removals.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="stagedRemovalsId">The staged removals to approve (the newest pending set).</param>
    /// <param name="decidedBy">Who approved, kept with the decision.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>A task that completes when the trigger is stored (not when the removals are applied).</returns>
    Task ApproveRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default);
}
