namespace EntraSync;

/// <summary>Runs sync for a tenant on demand ("Sync now"), previews it, and decides on staged removals.</summary>
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
}

/// <summary>How to run one sync.</summary>
public sealed class SyncRunOptions
{
    /// <summary>Gets the kind of read.</summary>
    /// <value>The default is <see cref="SyncMode.Incremental"/> (which reads everything when there is no checkpoint yet).</value>
    public SyncMode Mode { get; init; } = SyncMode.Incremental;

    /// <summary>Gets a value indicating whether to plan only: the report lists what would change, and nothing is written.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool DryRun { get; init; }
}
