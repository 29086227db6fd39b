namespace EntraSync.ChangeFeed.Internal;

/// <summary>
/// The change feed for any store: events kept in this process's memory, appended by the engine right after each
/// committed batch. Lost with the process; a store that must not lose events writes an outbox instead
/// (<see cref="IEmployeeChangeFeed.IsWrittenByStore"/>, as the EF Core store does).
/// </summary>
internal sealed class InMemoryEmployeeChangeFeed : IEmployeeChangeFeed
{
    private readonly Dictionary<string, TenantLog> _tenants = new(StringComparer.Ordinal);

    public bool IsWrittenByStore => false;

    public ValueTask AppendAsync(string tenantId, string runId, IReadOnlyList<EmployeeChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentNullException.ThrowIfNull(changes);
        var log = Log(tenantId, create: true)!;
        lock (log)
        {
            foreach (var change in changes)
            {
                log.Events.Add(EmployeeChangeEvent.FromChange(tenantId, ++log.LastSequence, runId, change));
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<EmployeeChangeEvent>> ReadChangesAsync(string tenantId, long afterSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        if (Log(tenantId, create: false) is not { } log)
        {
            return ValueTask.FromResult<IReadOnlyList<EmployeeChangeEvent>>([]);
        }

        lock (log)
        {
            // Sequences grow by one and only the oldest are removed, so the events after a sequence start at a known index.
            var first = log.Events.Count == 0 ? 0 : (int)Math.Clamp(afterSequence + 1 - log.Events[0].Sequence, 0, log.Events.Count);
            return ValueTask.FromResult<IReadOnlyList<EmployeeChangeEvent>>(log.Events.GetRange(first, Math.Min(maxCount, log.Events.Count - first)));
        }
    }

    public ValueTask<IReadOnlyList<string>> ReadTenantsAsync(CancellationToken cancellationToken = default)
    {
        lock (_tenants)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>([.. _tenants.Keys]);
        }
    }

    public ValueTask<long> GetAcknowledgedAsync(string tenantId, string handlerName, CancellationToken cancellationToken = default)
    {
        if (Log(tenantId, create: false) is not { } log)
        {
            return ValueTask.FromResult(0L);
        }

        lock (log)
        {
            return ValueTask.FromResult(log.Acknowledged.GetValueOrDefault(handlerName));
        }
    }

    public ValueTask AcknowledgeAsync(string tenantId, string handlerName, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(handlerName);
        var log = Log(tenantId, create: true)!;
        lock (log)
        {
            log.Acknowledged[handlerName] = sequence;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> RemoveAsync(string tenantId, long throughSequence, DateTimeOffset occurredBefore, CancellationToken cancellationToken = default)
    {
        if (Log(tenantId, create: false) is not { } log)
        {
            return ValueTask.FromResult(0);
        }

        lock (log)
        {
            var count = 0;
            while (count < log.Events.Count && log.Events[count].Sequence <= throughSequence && log.Events[count].OccurredAt < occurredBefore)
            {
                count++;
            }

            log.Events.RemoveRange(0, count);
            return ValueTask.FromResult(count);
        }
    }

    private TenantLog? Log(string tenantId, bool create)
    {
        lock (_tenants)
        {
            if (!_tenants.TryGetValue(tenantId, out var log) && create)
            {
                _tenants[tenantId] = log = new TenantLog();
            }

            return log;
        }
    }

    private sealed class TenantLog
    {
        public List<EmployeeChangeEvent> Events { get; } = [];

        public Dictionary<string, long> Acknowledged { get; } = new(StringComparer.Ordinal);

        public long LastSequence { get; set; }
    }
}
