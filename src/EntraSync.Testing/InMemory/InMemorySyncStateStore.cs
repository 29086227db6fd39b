namespace EntraSync.Testing;

/// <summary>An <see cref="ISyncStateStore"/> in memory, for tests, samples and demos. Thread-safe.</summary>
public sealed class InMemorySyncStateStore : ISyncStateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SyncCheckpoint> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SyncReport>> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StagedRemovals>> _staged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TenantSyncState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _leases = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<SyncCheckpoint?> GetCheckpointAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_checkpoints.GetValueOrDefault(tenantId));
        }
    }

    /// <inheritdoc />
    public ValueTask SaveCheckpointAsync(string tenantId, SyncCheckpoint? checkpoint, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
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
    public ValueTask<bool> TryAcquireLeaseAsync(string tenantId, string owner, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(tenantId, out var lease) && lease.Owner != owner && lease.Until > now)
            {
                return ValueTask.FromResult(false);
            }

            _leases[tenantId] = (owner, until);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseLeaseAsync(string tenantId, string owner, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(tenantId, out var lease) && lease.Owner == owner)
            {
                _leases.Remove(tenantId);
            }
        }

        return ValueTask.CompletedTask;
    }
}
