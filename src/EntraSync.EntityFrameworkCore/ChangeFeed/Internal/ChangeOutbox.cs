using System.Text.Json;
using EntraSync.EntityFrameworkCore.State.Internal;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.ChangeFeed.Internal;

/// <summary>
/// Writes a batch's events to the outbox inside the batch's own transaction, numbered after the tenant's last
/// sequence: they commit with the changes or not at all, so a crash after the commit loses no event. One row holds the
/// whole batch (a JSON array): an INSERT per event doubled the statements of a full sync on SQLite, whose EF Core
/// provider does not batch them. The run id is the run lease's owner, read from the lease row the batch was fenced by.
/// </summary>
internal static class ChangeOutbox
{
    public static void RequireModel(DbContext db)
    {
        if (db.Model.FindEntityType(typeof(ChangeEventBatchEntry)) is null)
        {
            throw new InvalidOperationException(
                $"The EF Core change feed writes its outbox to the EntraSyncChangeEventBatches table, which {db.GetType().Name} does not map. Call modelBuilder.AddEntraSyncChangeFeed() in OnModelCreating (and add a migration).");
        }
    }

    /// <summary>Writes the events; the context's change tracker must hold nothing unsaved (the caller cleared it).</summary>
    public static async Task WriteAsync(DbContext db, string tenantId, IReadOnlyList<(EmployeeChange Change, string? Key)> applied, CancellationToken cancellationToken)
    {
        if (applied.Count == 0)
        {
            return;
        }

        RequireModel(db);
        var runId = await db.Set<SyncRunLeaseEntry>().AsNoTracking()
            .Where(l => l.TenantId == tenantId)
            .Select(l => l.Owner)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? "unknown";
        var positions = db.Set<ChangeFeedPositionEntry>();
        var last = await positions.AsNoTracking()
            .Where(p => p.TenantId == tenantId)
            .Select(p => (long?)p.LastSequence)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var first = (last ?? 0) + 1;
        var events = new List<EmployeeChangeEvent>(applied.Count);
        var sequence = first;
        foreach (var (change, key) in applied)
        {
            events.Add(EmployeeChangeEvent.FromChange(tenantId, sequence++, runId, change, key));
        }

        if (last is null)
        {
            positions.Add(new ChangeFeedPositionEntry { TenantId = tenantId, LastSequence = sequence - 1 });
        }
        else
        {
            await positions.Where(p => p.TenantId == tenantId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.LastSequence, sequence - 1), cancellationToken).ConfigureAwait(false);
        }

        db.Add(new ChangeEventBatchEntry
        {
            TenantId = tenantId,
            FirstSequence = first,
            LastSequence = sequence - 1,
            RunId = runId,
            OccurredAt = events.Max(e => e.OccurredAt).ToUniversalTime(),
            Events = JsonSerializer.Serialize(events, StateJson.Options),
        });
        await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The events of a batch row after <paramref name="afterSequence"/>.</summary>
    public static IEnumerable<EmployeeChangeEvent> Read(ChangeEventBatchEntry row, long afterSequence) =>
        (JsonSerializer.Deserialize<List<EmployeeChangeEvent>>(row.Events, StateJson.Options) ?? []).Where(e => e.Sequence > afterSequence);
}
