using EntraSync.EntityFrameworkCore.Internal;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.ChangeFeed.Internal;

/// <summary>
/// <see cref="IEmployeeChangeFeed"/> over the outbox tables <c>modelBuilder.AddEntraSyncChangeFeed()</c> adds. The EF
/// Core employee store writes the events in each batch's transaction (<see cref="ChangeOutbox"/>), so
/// <see cref="IsWrittenByStore"/> is true and <see cref="AppendAsync"/> is never needed. Like the state store, no
/// query compares <see cref="DateTimeOffset"/> values in SQL (SQLite cannot).
/// </summary>
internal sealed class EntityFrameworkChangeFeed<TContext>(DbContextSource<TContext> contexts) : IEmployeeChangeFeed
    where TContext : DbContext
{
    private const int RetentionChunk = 1_000;

    public bool IsWrittenByStore => true;

    public ValueTask AppendAsync(string tenantId, string runId, IReadOnlyList<EmployeeChange> changes, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The EF Core employee store writes the change feed's events in the transaction of each batch; nothing is appended afterwards.");

    public async ValueTask<IReadOnlyList<EmployeeChangeEvent>> ReadChangesAsync(string tenantId, long afterSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        ChangeOutbox.RequireModel(lease.Context);
        var batches = lease.Context.Set<ChangeEventBatchEntry>().AsNoTracking();
        var events = new List<EmployeeChangeEvent>();
        var after = afterSequence;
        while (events.Count < maxCount)
        {
            // A few rows at a time (a row holds up to a write batch of events, fewer when they are long), oldest first.
            var rows = await batches
                .Where(b => b.TenantId == tenantId && b.LastSequence > after)
                .OrderBy(b => b.FirstSequence)
                .Take(8)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                break;
            }

            foreach (var row in rows)
            {
                events.AddRange(ChangeOutbox.Read(row, after));
                after = row.LastSequence;
            }
        }

        return events.Count > maxCount ? events.GetRange(0, maxCount) : events;
    }

    public async ValueTask<IReadOnlyList<string>> ReadTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        ChangeOutbox.RequireModel(lease.Context);
        return await lease.Context.Set<ChangeEventBatchEntry>().AsNoTracking()
            .Select(e => e.TenantId).Distinct()
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<long> GetAcknowledgedAsync(string tenantId, string handlerName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(handlerName);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        ChangeOutbox.RequireModel(lease.Context);
        return await lease.Context.Set<ChangeFeedAcknowledgementEntry>().AsNoTracking()
            .Where(a => a.TenantId == tenantId && a.Handler == handlerName)
            .Select(a => (long?)a.Sequence)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? 0;
    }

    public async ValueTask AcknowledgeAsync(string tenantId, string handlerName, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(handlerName);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        ChangeOutbox.RequireModel(db);
        var updated = await db.Set<ChangeFeedAcknowledgementEntry>()
            .Where(a => a.TenantId == tenantId && a.Handler == handlerName)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Sequence, sequence), cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            db.Add(new ChangeFeedAcknowledgementEntry { TenantId = tenantId, Handler = handlerName, Sequence = sequence });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another process added the row first (delivery is at least once across processes): set it instead.
                db.ChangeTracker.Clear();
                await db.Set<ChangeFeedAcknowledgementEntry>()
                    .Where(a => a.TenantId == tenantId && a.Handler == handlerName)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Sequence, sequence), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask<int> RemoveAsync(string tenantId, long throughSequence, DateTimeOffset occurredBefore, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        ChangeOutbox.RequireModel(db);
        var batches = db.Set<ChangeEventBatchEntry>();
        var removed = 0L;
        while (true)
        {
            // The oldest whole batches first; the times are compared here, not in SQL. Stops at the first one too young.
            var oldest = await batches.AsNoTracking()
                .Where(b => b.TenantId == tenantId && b.LastSequence <= throughSequence)
                .OrderBy(b => b.FirstSequence)
                .Select(b => new { b.FirstSequence, b.LastSequence, b.OccurredAt })
                .Take(RetentionChunk)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var old = oldest.TakeWhile(b => b.OccurredAt < occurredBefore).ToList();
            if (old.Count == 0)
            {
                return (int)removed;
            }

            var through = old[^1].FirstSequence;
            await batches.Where(b => b.TenantId == tenantId && b.FirstSequence <= through).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            removed += old.Sum(b => b.LastSequence - b.FirstSequence + 1);
            if (old.Count < oldest.Count || oldest.Count < RetentionChunk)
            {
                return (int)removed;
            }
        }
    }
}
