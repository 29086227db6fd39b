namespace EntraSync;

/// <summary>Where EntraSync keeps its own state per tenant: checkpoints, run history, staged removals, schedule and run leases.</summary>
/// <remarks>Every method is scoped to one tenant; a store never returns another tenant's state.</remarks>
public interface ISyncStateStore
{
    /// <summary>Gets the tenant's checkpoint, or <see langword="null"/> when there is none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint, or <see langword="null"/>.</returns>
    ValueTask<SyncCheckpoint?> GetCheckpointAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the tenant's checkpoint; <see langword="null"/> removes it (the next run reads everything).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="checkpoint">The checkpoint, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask SaveCheckpointAsync(string tenantId, SyncCheckpoint? checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Adds a run's report to the tenant's history and keeps only the newest <paramref name="keep"/> reports.</summary>
    /// <param name="report">The report. A store may keep the per-user outcomes or only the summary.</param>
    /// <param name="keep">How many reports to keep for the tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask AddRunAsync(SyncReport report, int keep, CancellationToken cancellationToken = default);

    /// <summary>Gets the tenant's newest run reports, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reports.</returns>
    ValueTask<IReadOnlyList<SyncReport>> GetRunsAsync(string tenantId, int max, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces (by <see cref="StagedRemovals.Id"/>) a set of staged removals.</summary>
    /// <param name="staged">The staged removals.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask SaveStagedRemovalsAsync(StagedRemovals staged, CancellationToken cancellationToken = default);

    /// <summary>Gets the tenant's staged removals, pending and decided, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The staged removals.</returns>
    ValueTask<IReadOnlyList<StagedRemovals>> GetStagedRemovalsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Gets the tenant's scheduling state, or <see langword="null"/>.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/>.</returns>
    ValueTask<TenantSyncState?> GetTenantStateAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the tenant's scheduling state.</summary>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask SaveTenantStateAsync(TenantSyncState state, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tries to take the tenant's run lease, so that only one run per tenant happens at a time across every process
    /// that shares this store. Succeeds when nobody holds it, when <paramref name="owner"/> already holds it, or when
    /// the holder's lease expired.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="owner">A unique id of the run asking.</param>
    /// <param name="until">When the lease expires if it is not released (a crashed process does not block the tenant for ever).</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns><see langword="true"/> when <paramref name="owner"/> now holds the lease.</returns>
    ValueTask<bool> TryAcquireLeaseAsync(string tenantId, string owner, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Releases the tenant's run lease if <paramref name="owner"/> holds it.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="owner">The id used to acquire it.</param>
    /// <param name="cancellationToken">Cancels the release.</param>
    /// <returns>A task that completes when released.</returns>
    ValueTask ReleaseLeaseAsync(string tenantId, string owner, CancellationToken cancellationToken = default);
}
