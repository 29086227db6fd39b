using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.State.Internal;

/// <summary>
/// The run lease's two database-side rules, shared by the EF Core stores: lease times come from the database's clock,
/// and a write is fenced by the tenant's lease row (<c>EntraSyncRunLeases</c>) in the write's own transaction.
/// </summary>
internal static class RunLeaseFence
{
    /// <summary>
    /// Checks, inside the caller's transaction, that <paramref name="generation"/> is the tenant's current held lease,
    /// and locks the lease row until the transaction ends: a run taking the lease over waits for this write (and then
    /// gets a new generation), so no write of an old lease lands after a new lease was granted.
    /// </summary>
    public static async Task CheckAsync(DbContext db, string tenantId, long generation, string what, CancellationToken cancellationToken)
    {
        if (db.Model.FindEntityType(typeof(SyncRunLeaseEntry)) is null)
        {
            throw new InvalidOperationException(
                $"The EF Core stores fence every write with the tenant's run lease in the EntraSyncRunLeases table, which {db.GetType().Name} does not map. Call modelBuilder.AddEntraSyncState() in OnModelCreating (and add a migration).");
        }

        // A no-op update: it matches only the current, held lease and takes the row's write lock (PostgreSQL, SQL
        // Server; SQLite locks the whole database for the transaction's first write anyway).
        var held = await db.Set<SyncRunLeaseEntry>()
            .Where(l => l.TenantId == tenantId && l.Version == generation && l.Owner != null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Version, l => l.Version), cancellationToken).ConfigureAwait(false);
        if (held != 1)
        {
            throw new StaleLeaseException(tenantId, generation, what);
        }
    }

    /// <summary>
    /// Reads the database's clock, so every host sharing the database agrees on when a lease expires. Providers
    /// without a known UTC clock function fall back to <paramref name="fallback"/>.
    /// </summary>
    public static async Task<DateTimeOffset> DatabaseNowAsync(DbContext db, TimeProvider fallback, CancellationToken cancellationToken)
    {
        switch (db.Database.ProviderName)
        {
            case "Microsoft.EntityFrameworkCore.Sqlite":
                var text = (await db.Database.SqlQueryRaw<string>("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now') AS \"Value\"").ToListAsync(cancellationToken).ConfigureAwait(false)).Single();
                return new DateTimeOffset(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal), TimeSpan.Zero);
            case "Npgsql.EntityFrameworkCore.PostgreSQL":
                return Utc((await db.Database.SqlQueryRaw<DateTime>("SELECT clock_timestamp() AS \"Value\"").ToListAsync(cancellationToken).ConfigureAwait(false)).Single());
            case "Microsoft.EntityFrameworkCore.SqlServer":
                return Utc((await db.Database.SqlQueryRaw<DateTime>("SELECT SYSUTCDATETIME() AS [Value]").ToListAsync(cancellationToken).ConfigureAwait(false)).Single());
            default:
                return fallback.GetUtcNow();
        }
    }

    private static DateTimeOffset Utc(DateTime value) =>
        new(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);
}
