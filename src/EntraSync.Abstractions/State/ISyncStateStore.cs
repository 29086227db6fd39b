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

    /// <summary>
    /// Replaces the tenant's checkpoint; <see langword="null"/> removes it (the next run reads everything). Fenced:
    /// the save is refused, changing nothing, unless <paramref name="leaseGeneration"/> is the tenant's current run
    /// lease, so a run that lost its lease cannot put an older checkpoint over a newer one.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="checkpoint">The checkpoint, or <see langword="null"/>.</param>
    /// <param name="leaseGeneration">The <see cref="RunLease.Generation"/> of the run's lease.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="StaleLeaseException"><paramref name="leaseGeneration"/> is not the tenant's current, held lease.</exception>
    ValueTask SaveCheckpointAsync(string tenantId, SyncCheckpoint? checkpoint, long leaseGeneration, CancellationToken cancellationToken = default);

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
    /// that shares this store. Succeeds when nobody holds it, when the holder's lease expired, or when
    /// <paramref name="owner"/> already holds it (then the same generation is returned, with the new expiry). A new
    /// holder gets a generation greater than any the tenant had before.
    /// </summary>
    /// <remarks>
    /// Expiry is computed and compared with the store's own clock (for a database, the database's clock), never the
    /// caller's, so hosts whose clocks differ agree on when a lease expired.
    /// </remarks>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="owner">A unique id of the run asking.</param>
    /// <param name="duration">How long the lease holds unless renewed (a crashed process stops renewing, so its tenant is free after this).</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The lease, or who holds it and how long until that lease expires.</returns>
    ValueTask<RunLeaseAttempt> TryAcquireLeaseAsync(string tenantId, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends a held lease to <paramref name="duration"/> from now (the store's clock). Succeeds while the tenant's
    /// lease still has <paramref name="lease"/>'s owner and generation, even past its expiry if nobody took it over.
    /// </summary>
    /// <param name="lease">The lease to renew.</param>
    /// <param name="duration">How long it holds from now.</param>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    /// <returns>The renewed lease, or <see langword="null"/> when it was lost (taken over or released): the run must stop writing.</returns>
    ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Releases the tenant's run lease if <paramref name="lease"/> is still the tenant's current lease; otherwise does nothing.</summary>
    /// <param name="lease">The lease to release.</param>
    /// <param name="cancellationToken">Cancels the release.</param>
    /// <returns>A task that completes when released.</returns>
    ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default);
}
