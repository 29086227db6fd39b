namespace EntraSync;

/// <summary>
/// Runs sync for a tenant on demand ("Sync now"), previews it, syncs one user, decides on staged removals, and reads
/// run history and scheduling state.
/// </summary>
/// <remarks>
/// At most one run per tenant happens at a time, in this process and (through the
/// <see cref="ISyncStateStore"/> run lease) across processes that share the store. A second trigger for a tenant
/// that is running does not wait: it returns at once with <see cref="SyncOutcome.AlreadyRunning"/>.
/// </remarks>
public interface IEntraUserSync
{
    /// <summary>Runs sync for a tenant whose profile the <see cref="ISyncProfileProvider"/> supplies.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="options">Full or incremental, dry run.</param>
    /// <param name="cancellationToken">Cancels the run; a cancelled run removes nobody.</param>
    /// <returns>The report.</returns>
    Task<SyncReport> SyncAsync(string tenantId, SyncRunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs sync with an explicit profile.</summary>
    /// <param name="profile">The tenant's profile.</param>
    /// <param name="options">Full or incremental, dry run.</param>
    /// <param name="cancellationToken">Cancels the run; a cancelled run removes nobody.</param>
    /// <returns>The report.</returns>
    Task<SyncReport> SyncAsync(SyncProfile profile, SyncRunOptions? options, CancellationToken cancellationToken);

    /// <summary>Gets the tenant's staged removals, pending and decided, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The staged removals.</returns>
    Task<IReadOnlyList<StagedRemovals>> GetStagedRemovalsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Approves and applies pending staged removals. Only the newest pending set of a tenant can be approved.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="stagedRemovalsId">The id from <see cref="SyncReport.StagedRemovalsId"/>.</param>
    /// <param name="decidedBy">Who approves, for the record.</param>
    /// <param name="cancellationToken">Cancels the application.</param>
    /// <returns>A report of the removals applied.</returns>
    Task<SyncReport> ApproveRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default);

    /// <summary>Rejects pending staged removals: nobody is removed, and the decision is recorded.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="stagedRemovalsId">The id from <see cref="SyncReport.StagedRemovalsId"/>.</param>
    /// <param name="decidedBy">Who rejects, for the record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The rejected set.</returns>
    Task<StagedRemovals> RejectRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Syncs one user now, like Entra's "provision on demand": reads the user, decides scope, finds the employee,
    /// plans and applies the one change, and returns each step. It takes the tenant's run slot like any run, so it
    /// returns <see cref="UserSyncOutcome.AlreadyRunning"/> while the tenant syncs. It never changes anyone else; a
    /// user the directory no longer has is removed only when <paramref name="user"/> is the directory object id.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="user">The directory object id, user principal name or email.</param>
    /// <param name="options">Dry run or not.</param>
    /// <param name="cancellationToken">Cancels the sync.</param>
    /// <returns>The steps and their outcome.</returns>
    Task<UserSyncResult> SyncUserAsync(string tenantId, string user, UserSyncOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the tenant's newest run reports, newest first (dry runs are not kept).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reports.</returns>
    Task<IReadOnlyList<SyncReport>> GetRunsAsync(string tenantId, int max = 50, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the tenant's scheduling and health state: last run and success, failures in a row and the last reason,
    /// quarantine, next scheduled runs.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when the tenant never ran.</returns>
    Task<TenantSyncState?> GetTenantStateAsync(string tenantId, CancellationToken cancellationToken = default);
}
