namespace EntraSync.Testing;

/// <summary>
/// An <see cref="ISyncStateStore"/> in memory, for tests, samples and demos. Thread-safe. Run leases expire by the
/// store's <see cref="TimeProvider"/> (a <c>FakeTimeProvider</c> in tests); pass this store to
/// <see cref="InMemoryEmployeeStore(InMemorySyncStateStore)"/> so employee writes are fenced by its leases.
/// </summary>
public sealed class InMemorySyncStateStore : ISyncStateStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, SyncCheckpoint> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SyncReport>> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StagedRemovals>> _staged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TenantSyncState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LeaseRow> _leases = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="InMemorySyncStateStore"/> class.</summary>
    /// <param name="timeProvider">The clock leases expire by.</param>
    /// <value>The default clock is <see cref="TimeProvider.System"/>.</value>
    public InMemorySyncStateStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask<SyncCheckpoint?> GetCheckpointAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_checkpoints.GetValueOrDefault(tenantId));
        }
    }

    /// <inheritdoc />
    public ValueTask SaveCheckpointAsync(string tenantId, SyncCheckpoint? checkpoint, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!IsCurrent(tenantId, leaseGeneration))
            {
                throw new StaleLeaseException(tenantId, leaseGeneration, "the checkpoint save");
            }

            if (checkpoint is null)
            {
                _checkpoints.Remove(tenantId);
            }
            else
            {
                _checkpoints[tenantId] = checkpoint;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AddRunAsync(SyncReport report, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            if (!_runs.TryGetValue(report.TenantId, out var runs))
            {
                _runs[report.TenantId] = runs = [];
            }

            runs.Insert(0, report);
            if (runs.Count > Math.Max(1, keep))
            {
                runs.RemoveRange(Math.Max(1, keep), runs.Count - Math.Max(1, keep));
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SyncReport>> GetRunsAsync(string tenantId, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<SyncReport> runs = _runs.TryGetValue(tenantId, out var list) ? list.Take(max).ToList() : [];
            return ValueTask.FromResult(runs);
        }
    }

    /// <inheritdoc />
    public ValueTask SaveStagedRemovalsAsync(StagedRemovals staged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staged);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_staged.TryGetValue(staged.TenantId, out var list))
            {
                _staged[staged.TenantId] = list = [];
            }

            var index = list.FindIndex(s => s.Id == staged.Id);
            if (index >= 0)
            {
                list[index] = staged;
            }
            else
            {
                list.Insert(0, staged);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StagedRemovals>> GetStagedRemovalsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<StagedRemovals> staged = _staged.TryGetValue(tenantId, out var list)
                ? list.OrderByDescending(s => s.CreatedAt).ToList()
                : [];
            return ValueTask.FromResult(staged);
        }
    }

    /// <inheritdoc />
    public ValueTask<TenantSyncState?> GetTenantStateAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_states.GetValueOrDefault(tenantId));
        }
    }

    /// <inheritdoc />
    public ValueTask SaveTenantStateAsync(TenantSyncState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            _states[state.TenantId] = state;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<RunLeaseAttempt> TryAcquireLeaseAsync(string tenantId, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_leases.TryGetValue(tenantId, out var row))
            {
                _leases[tenantId] = row = new LeaseRow();
            }

            if (row.Owner is not null && row.Owner != owner && row.Until > now)
            {
                return ValueTask.FromResult(RunLeaseAttempt.Held(row.Owner, row.Until - now));
            }

            if (row.Owner != owner)
            {
                row.Generation++;
                row.Owner = owner;
            }

            row.Until = now + duration;
            return ValueTask.FromResult(RunLeaseAttempt.Acquired(row.ToLease(tenantId)));
        }
    }

    /// <inheritdoc />
    public ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_leases.TryGetValue(lease.TenantId, out var row) || row.Owner != lease.Owner || row.Generation != lease.Generation)
            {
                return ValueTask.FromResult<RunLease?>(null);
            }

            row.Until = _time.GetUtcNow() + duration;
            return ValueTask.FromResult<RunLease?>(row.ToLease(lease.TenantId));
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (_leases.TryGetValue(lease.TenantId, out var row) && row.Owner == lease.Owner && row.Generation == lease.Generation)
            {
                // The generation moves on, so a write still carrying the released lease is refused.
                row.Owner = null;
                row.Generation++;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Gets whether <paramref name="generation"/> is the tenant's current, held run lease (what a fenced write checks).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="generation">The lease generation a write carries.</param>
    /// <returns><see langword="true"/> when a write carrying it may proceed.</returns>
    public bool IsCurrentLease(string tenantId, long generation)
    {
        lock (_gate)
        {
            return IsCurrent(tenantId, generation);
        }
    }

    /// <summary>Runs <paramref name="write"/> while <paramref name="generation"/> is the tenant's current lease, atomically with respect to lease changes.</summary>
    internal void WriteFenced(string tenantId, long generation, string what, Action write)
    {
        lock (_gate)
        {
            if (!IsCurrent(tenantId, generation))
            {
                throw new StaleLeaseException(tenantId, generation, what);
            }

            write();
        }
    }

    private bool IsCurrent(string tenantId, long generation) =>
        _leases.TryGetValue(tenantId, out var row) && row.Owner is not null && row.Generation == generation;

    private sealed class LeaseRow
    {
        public string? Owner { get; set; }

        public DateTimeOffset Until { get; set; }

        public long Generation { get; set; }

        public RunLease ToLease(string tenantId) => new() { TenantId = tenantId, Owner = Owner!, Generation = Generation, ExpiresAt = Until };
    }
}
