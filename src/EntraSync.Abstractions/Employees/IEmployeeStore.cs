namespace EntraSync;

/// <summary>The host product's employee list, as sync reads and changes it. Implement it over your own storage.</summary>
/// <remarks>
/// <para>
/// Every method is scoped to one tenant (the host's customer). A store must never return or change another tenant's
/// employees. Employees are linked to a directory user by (tenant, <see cref="StoredEmployee.DirectoryId"/>);
/// employees without a link are the host's own and sync only ever links them (once, by email) through
/// <see cref="EmployeeChangeKind.Link"/>.
/// </para>
/// <para>
/// Sync calls <see cref="FindAsync"/> once per directory page, <see cref="ApplyAsync"/> once per page of changes, and
/// <see cref="ReadLinkedAsync"/> once after a complete full read (to find who left) and for retention.
/// </para>
/// </remarks>
public interface IEmployeeStore
{
    /// <summary>
    /// Finds the employees of a tenant linked to any of <paramref name="directoryIds"/>, plus every employee (linked
    /// or not) whose email equals, ignoring case, any of <paramref name="emails"/>.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="directoryIds">Directory object ids on the current page.</param>
    /// <param name="emails">Resolved emails on the current page, for the first-time link of local employees and duplicate checks.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The matching employees, each once, in any order.</returns>
    ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(
        string tenantId,
        IReadOnlyCollection<string> directoryIds,
        IReadOnlyCollection<string> emails,
        CancellationToken cancellationToken = default);

    /// <summary>Streams every employee of the tenant that is linked to a directory user, active or deactivated.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The linked employees; <see cref="StoredEmployee.Fields"/> may be left empty here.</returns>
    IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a batch of changes, all or nothing. Fenced: the batch is refused, writing nothing, unless
    /// <paramref name="leaseGeneration"/> is the tenant's current run lease (see <see cref="ISyncStateStore.TryAcquireLeaseAsync"/>),
    /// checked in the same transaction as the writes, so a run that lost its lease cannot write beside the run that took it over.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="changes">The changes, at most one per employee.</param>
    /// <param name="leaseGeneration">The <see cref="RunLease.Generation"/> of the writing run's lease.</param>
    /// <param name="cancellationToken">Cancels the batch; a cancelled batch must leave nothing half-written.</param>
    /// <returns>A task that completes when the batch is stored.</returns>
    /// <exception cref="StaleLeaseException"><paramref name="leaseGeneration"/> is not the tenant's current, held lease.</exception>
    ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default);
}
