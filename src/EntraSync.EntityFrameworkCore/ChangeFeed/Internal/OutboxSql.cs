using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EntraSync.EntityFrameworkCore.ChangeFeed.Internal;

/// <summary>
/// The one command that writes a batch's outbox rows: it moves the tenant's position on by the batch's event count
/// (adding the position the first time), then inserts the rows numbered from the new position, with the run id read
/// from the tenant's run lease row, all in the database. Names come from the EF model (a host may rename the tables
/// or put them in a schema); values are bound through the columns' EF type mappings, so the row is written as EF Core
/// would write it. The command goes through EF Core (<c>ExecuteSqlRaw</c>), so a host's command interceptors and
/// logging see it, in the batch's transaction. Plain SQL every relational provider runs: two statements of
/// <c>UPDATE</c>/<c>INSERT ... WHERE NOT EXISTS</c> and an <c>INSERT ... SELECT</c> per row (a batch has one row, or a
/// few when its events' text is long: see <see cref="ChangeOutbox.RowChars"/>).
/// </summary>
internal sealed class OutboxSql
{
    private static readonly ConditionalWeakTable<IModel, OutboxSql> ByModel = [];

    private readonly string _position;
    private readonly string _row;
    private readonly string?[] _texts = new string?[16];
    private readonly RelationalTypeMapping _tenant;
    private readonly RelationalTypeMapping _count;
    private readonly RelationalTypeMapping _occurredAt;
    private readonly RelationalTypeMapping _events;

    private OutboxSql(string position, string row, RelationalTypeMapping tenant, RelationalTypeMapping count, RelationalTypeMapping occurredAt, RelationalTypeMapping events)
    {
        _position = position;
        _row = row;
        _tenant = tenant;
        _count = count;
        _occurredAt = occurredAt;
        _events = events;
    }

    public static OutboxSql For(DbContext db) => ByModel.GetValue(db.Model, _ => Create(db));

    private static OutboxSql Create(DbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var batches = Table<ChangeEventBatchEntry>(db, sql);
        var positions = Table<ChangeFeedPositionEntry>(db, sql);
        var leases = Table<SyncRunLeaseEntry>(db, sql);
        string Column(MappedTable table, string property) => table.Column(sql, property);

        var pTenant = Column(positions, nameof(ChangeFeedPositionEntry.TenantId));
        var pLast = Column(positions, nameof(ChangeFeedPositionEntry.LastSequence));
        var position = $"""
            UPDATE {positions.Name} SET {pLast} = {pLast} + @count WHERE {pTenant} = @tenant;
            INSERT INTO {positions.Name} ({pTenant}, {pLast}) SELECT @tenant, @count WHERE NOT EXISTS (SELECT 1 FROM {positions.Name} WHERE {pTenant} = @tenant);

            """;

        // A row's sequences are relative to the tenant's new last sequence: @firstN and @lastN are zero or negative.
        var row = $"""
            INSERT INTO {batches.Name} ({Column(batches, nameof(ChangeEventBatchEntry.TenantId))}, {Column(batches, nameof(ChangeEventBatchEntry.FirstSequence))}, {Column(batches, nameof(ChangeEventBatchEntry.LastSequence))}, {Column(batches, nameof(ChangeEventBatchEntry.RunId))}, {Column(batches, nameof(ChangeEventBatchEntry.OccurredAt))}, {Column(batches, nameof(ChangeEventBatchEntry.Events))})
            SELECT @tenant, {pLast} + @firstN, {pLast} + @lastN, COALESCE((SELECT {Column(leases, nameof(SyncRunLeaseEntry.Owner))} FROM {leases.Name} WHERE {Column(leases, nameof(SyncRunLeaseEntry.TenantId))} = @tenant), 'unknown'), @occurredAtN, @eventsN
            FROM {positions.Name} WHERE {pTenant} = @tenant;

            """;
        return new OutboxSql(
            position,
            row,
            batches.Mapping(nameof(ChangeEventBatchEntry.TenantId)),
            batches.Mapping(nameof(ChangeEventBatchEntry.LastSequence)),
            batches.Mapping(nameof(ChangeEventBatchEntry.OccurredAt)),
            batches.Mapping(nameof(ChangeEventBatchEntry.Events)));
    }

    /// <summary>
    /// Writes the batch's <paramref name="count"/> events as <paramref name="rows"/>; the position row and the outbox
    /// rows are the rows it must change.
    /// </summary>
    public async Task WriteAsync(DbContext db, string tenantId, int count, IReadOnlyList<OutboxRow> rows, CancellationToken cancellationToken)
    {
        // The mappings make provider parameters (type, converter); a command of the context's connection only serves to create them.
        await using var factory = db.Database.GetDbConnection().CreateCommand();
        var parameters = new DbParameter[2 + (4 * rows.Count)];
        parameters[0] = _tenant.CreateParameter(factory, "@tenant", tenantId, nullable: false);
        parameters[1] = _count.CreateParameter(factory, "@count", (long)count, nullable: false);
        for (var i = 0; i < rows.Count; i++)
        {
            var (before, size, occurredAt, events) = rows[i];
            var p = 2 + (4 * i);
            parameters[p] = _count.CreateParameter(factory, $"@first{i}", (long)(before + 1 - count), nullable: false);
            parameters[p + 1] = _count.CreateParameter(factory, $"@last{i}", (long)(before + size - count), nullable: false);
            parameters[p + 2] = _occurredAt.CreateParameter(factory, $"@occurredAt{i}", occurredAt, nullable: false);
            parameters[p + 3] = _events.CreateParameter(factory, $"@events{i}", events, nullable: false);
        }

        var written = await db.Database.ExecuteSqlRawAsync(Text(rows.Count), parameters, cancellationToken).ConfigureAwait(false);
        if (written >= 0 && written != 1 + rows.Count)
        {
            // -1 is a provider that does not count (SQL Server with NOCOUNT on). Anything else is a table that is not
            // what AddEntraSyncChangeFeed made: refuse the batch rather than commit changes without their events.
            throw new InvalidOperationException(
                $"Writing the change feed's outbox for tenant {tenantId} changed {written} row(s) instead of {1 + rows.Count} (the tenant's position and the batch's {rows.Count} outbox row(s)); the batch was not committed. Check that the outbox tables match modelBuilder.AddEntraSyncChangeFeed() (a migration may be missing).");
        }
    }

    /// <summary>The command's text for a batch of <paramref name="rows"/> rows (kept for up to 16 rows; a batch has one or a few).</summary>
    private string Text(int rows)
    {
        if (rows < _texts.Length && Volatile.Read(ref _texts[rows]) is { } cached)
        {
            return cached;
        }

        var text = new System.Text.StringBuilder(_position);
        for (var i = 0; i < rows; i++)
        {
            var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            text.Append(_row.Replace("@firstN", "@first" + n, StringComparison.Ordinal).Replace("@lastN", "@last" + n, StringComparison.Ordinal)
                .Replace("@occurredAtN", "@occurredAt" + n, StringComparison.Ordinal).Replace("@eventsN", "@events" + n, StringComparison.Ordinal));
        }

        var result = text.ToString();
        if (rows < _texts.Length)
        {
            Volatile.Write(ref _texts[rows], result);
        }

        return result;
    }

    private static MappedTable Table<T>(DbContext db, ISqlGenerationHelper sql)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{db.GetType().Name} does not map {typeof(T).Name}.");
        var name = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table in {db.GetType().Name}.");
        return new MappedTable(entity, StoreObjectIdentifier.Table(name, entity.GetSchema()), sql.DelimitIdentifier(name, entity.GetSchema()));
    }

    private sealed record MappedTable(IEntityType Entity, StoreObjectIdentifier Store, string Name)
    {
        public string Column(ISqlGenerationHelper sql, string property) =>
            sql.DelimitIdentifier(Entity.FindProperty(property)!.GetColumnName(Store)!);

        public RelationalTypeMapping Mapping(string property) => Entity.FindProperty(property)!.GetRelationalTypeMapping();
    }
}
