using EntraSync;
using EntraSync.Testing;

namespace Snippets;

/// <summary>The store several pages plug in as <c>MyStore</c>; it keeps employees in memory, standing in for yours.</summary>
public sealed class MyStore(MySyncStateStore leases) : IEmployeeStore
{
    private readonly InMemoryEmployeeStore _inner = new(leases.Leases);

    /// <summary>Adds an employee the way your product does when someone creates one by hand (not linked to the directory).</summary>
    public string AddLocal(string tenantId, string? email) => _inner.AddLocalEmployee(tenantId, email);

    public ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(
        string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails,
        CancellationToken cancellationToken = default) =>
        _inner.FindAsync(tenantId, directoryIds, emails, cancellationToken);

    public IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, CancellationToken cancellationToken = default) =>
        _inner.ReadLinkedAsync(tenantId, cancellationToken);

    public ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default) =>
        _inner.ApplyAsync(tenantId, changes, leaseGeneration, cancellationToken);
}

/// <summary>The sync state store the pages plug in as <c>MySyncStateStore</c>; in memory here, standing in for your table.</summary>
public sealed class MySyncStateStore : ISyncStateStore
{
    private readonly InMemorySyncStateStore _inner = new();

    /// <summary>Gets the run leases, which the employee store checks before every write.</summary>
    public InMemorySyncStateStore Leases => _inner;

    public ValueTask<SyncCheckpoint?> GetCheckpointAsync(string tenantId, CancellationToken cancellationToken = default) =>
        _inner.GetCheckpointAsync(tenantId, cancellationToken);

    public ValueTask SaveCheckpointAsync(string tenantId, SyncCheckpoint? checkpoint, long leaseGeneration, CancellationToken cancellationToken = default) =>
        _inner.SaveCheckpointAsync(tenantId, checkpoint, leaseGeneration, cancellationToken);

    public ValueTask AddRunAsync(SyncReport report, int keep, CancellationToken cancellationToken = default) =>
        _inner.AddRunAsync(report, keep, cancellationToken);

    public ValueTask<IReadOnlyList<SyncReport>> GetRunsAsync(string tenantId, int max, CancellationToken cancellationToken = default) =>
        _inner.GetRunsAsync(tenantId, max, cancellationToken);

    public ValueTask SaveStagedRemovalsAsync(StagedRemovals staged, CancellationToken cancellationToken = default) =>
        _inner.SaveStagedRemovalsAsync(staged, cancellationToken);

    public ValueTask<IReadOnlyList<StagedRemovals>> GetStagedRemovalsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        _inner.GetStagedRemovalsAsync(tenantId, cancellationToken);

    public ValueTask<TenantSyncState?> GetTenantStateAsync(string tenantId, CancellationToken cancellationToken = default) =>
        _inner.GetTenantStateAsync(tenantId, cancellationToken);

    public ValueTask SaveTenantStateAsync(TenantSyncState state, CancellationToken cancellationToken = default) =>
        _inner.SaveTenantStateAsync(state, cancellationToken);

    public ValueTask<RunLeaseAttempt> TryAcquireLeaseAsync(string tenantId, string owner, TimeSpan duration, CancellationToken cancellationToken = default) =>
        _inner.TryAcquireLeaseAsync(tenantId, owner, duration, cancellationToken);

    public ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, TimeSpan duration, CancellationToken cancellationToken = default) =>
        _inner.RenewLeaseAsync(lease, duration, cancellationToken);

    public ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default) =>
        _inner.ReleaseLeaseAsync(lease, cancellationToken);
}
