using System.Text.Json;
using EntraSync.EntityFrameworkCore.State.Internal;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.ChangeFeed.Internal;

/// <summary>
/// Writes a batch's events to the outbox inside the batch's own transaction, numbered after the tenant's last
/// sequence: they commit with the changes or not at all, so a crash after the commit loses no event. The run id is the
/// run lease's owner, read from the lease row the batch was just fenced by.
/// </summary>
internal static class ChangeOutbox
{
    private const int ReasonLength = 512;

    public static void RequireModel(DbContext db)
    {
        if (db.Model.FindEntityType(typeof(EmployeeChangeEventEntry)) is null)
        {
            throw new InvalidOperationException(
                $"The EF Core change feed writes its outbox to the EntraSyncChangeEvents table, which {db.GetType().Name} does not map. Call modelBuilder.AddEntraSyncChangeFeed() in OnModelCreating (and add a migration).");
        }
    }

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
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var position = await db.Set<ChangeFeedPositionEntry>().FirstOrDefaultAsync(p => p.TenantId == tenantId, cancellationToken).ConfigureAwait(false);
        if (position is null)
        {
            position = new ChangeFeedPositionEntry { TenantId = tenantId };
            db.Add(position);
        }

        var sequence = position.LastSequence;
        var events = db.Set<EmployeeChangeEventEntry>();
        foreach (var (change, key) in applied)
        {
            events.Add(ToEntry(EmployeeChangeEvent.FromChange(tenantId, ++sequence, runId ?? "unknown", change, key)));
        }

        // Set through the entry: the store turns automatic change detection off for its batches.
        db.Entry(position).Property(p => p.LastSequence).CurrentValue = sequence;
        await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken).ConfigureAwait(false);
    }

    public static EmployeeChangeEventEntry ToEntry(EmployeeChangeEvent change) => new()
    {
        TenantId = change.TenantId,
        Sequence = change.Sequence,
        RunId = change.RunId,
        Kind = change.Kind.ToString(),
        DirectoryId = change.DirectoryId,
        EmployeeKey = change.EmployeeKey,
        Email = change.Email,
        ChangedFields = change.ChangedFields.Count == 0 ? null : JsonSerializer.Serialize(change.ChangedFields, StateJson.Options),
        OccurredAt = change.OccurredAt.ToUniversalTime(),
        Reason = change.Reason is { Length: > ReasonLength } reason ? reason[..ReasonLength] : change.Reason,
    };

    public static EmployeeChangeEvent FromEntry(EmployeeChangeEventEntry row) => new()
    {
        TenantId = row.TenantId,
        Sequence = row.Sequence,
        RunId = row.RunId,
        Kind = Enum.Parse<EmployeeChangeKind>(row.Kind),
        DirectoryId = row.DirectoryId,
        EmployeeKey = row.EmployeeKey,
        Email = row.Email,
        ChangedFields = row.ChangedFields is null ? [] : JsonSerializer.Deserialize<List<FieldChange>>(row.ChangedFields, StateJson.Options) ?? [],
        OccurredAt = row.OccurredAt,
        Reason = row.Reason,
    };
}
