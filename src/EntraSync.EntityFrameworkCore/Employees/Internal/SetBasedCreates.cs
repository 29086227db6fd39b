using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EntraSync.EntityFrameworkCore.Employees.Internal;

/// <summary>
/// Inserts a batch's new employees without EF Core's change tracker, on the context's own connection and transaction:
/// on SQLite one prepared <c>INSERT</c> reused for every row (in-process, a statement costs microseconds; a multi-row
/// statement binds parameters by name, which SQLite looks up linearly), on PostgreSQL multi-row <c>INSERT</c>s of up
/// to 1,000 rows (one round trip per statement). Table, columns and value conversions come from the EF model, so a
/// host's own entity with its own table and column names is written as EF Core would write it. Every statement ends in
/// <c>ON CONFLICT DO NOTHING</c>, with <c>RETURNING</c> the key where the database generates it (and on PostgreSQL):
/// generated keys are read back, and a row that already exists for the same (tenant, directory id) is seen (no row
/// back, or 0 rows changed), and the batch is retried, which then repairs that employee.
/// </summary>
internal sealed class SetBasedCreates<TEmployee>
    where TEmployee : class
{
    private const string Sqlite = "Microsoft.EntityFrameworkCore.Sqlite";
    private const string Npgsql = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>PostgreSQL accepts up to 65,535 parameters a statement; a Graph page is 999 users.</summary>
    private const int MaxRowsPerStatement = 1_000;
    private const int MaxParameters = 60_000;

    private static readonly string[] Names = [.. Enumerable.Range(0, 4_096).Select(i => "$" + i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>
    /// SQLite: one row per statement. Measured on a 100k full sync: 32 rows per statement cost more CPU than one
    /// (Microsoft.Data.Sqlite binds each parameter by name, and SQLite finds a name by a linear search).
    /// </summary>
    private const int SqliteRowsPerStatement = 1;

    /// <summary>SQLite's default page cache, <c>PRAGMA cache_size</c> = -2000 (2,000 KiB).</summary>
    private const long SqliteDefaultCacheSize = -2_000;

    /// <summary>The page cache the SQLite write path asks for, in KiB: 32 MB (see <see cref="RaiseSqlitePageCacheAsync"/>).</summary>
    private const int SqlitePageCacheKib = 32_768;
    private readonly Column[] _columns;
    private readonly IProperty _key;
    private readonly IProperty _directoryId;
    private readonly KeySource _keySource;
    private readonly string _provider;
    private readonly string _insertColumns;
    private readonly string _returning;
    private readonly string _sqliteText;
    private readonly IClrPropertyGetter _keyGetter;
    private readonly IClrPropertyGetter _directoryIdGetter;

    private SetBasedCreates(string provider, string insertColumns, string returning, Column[] columns, IProperty key, IProperty directoryId, KeySource keySource)
    {
        _provider = provider;
        _insertColumns = insertColumns;
        _returning = returning;
        _columns = columns;
        _key = key;
        _directoryId = directoryId;
        _keySource = keySource;
        _keyGetter = key.GetGetter();
        _directoryIdGetter = directoryId.GetGetter();
        _sqliteText = Values(1) + " ON CONFLICT DO NOTHING";
    }

    private enum KeySource
    {
        /// <summary>The entity carries its key (set by the host's <c>NewEmployee</c>, or a key without generation).</summary>
        Entity,

        /// <summary>A <see cref="Guid"/> key EF Core would generate on the client: generated here, version 7 (ordered, index friendly).</summary>
        ClientGuid,

        /// <summary>An identity column: the database generates it and <c>RETURNING</c> reads it back.</summary>
        Database,
    }

    /// <summary>
    /// Describes how to insert <typeparamref name="TEmployee"/> for the context's provider, or returns
    /// <see langword="null"/> (with the reason) when the tracked path must be used: a provider other than SQLite and
    /// PostgreSQL, or a mapping this path does not write exactly as EF Core would (inheritance, owned or complex
    /// types, shadow properties, database defaults, a composite or generated non-numeric key).
    /// </summary>
    public static SetBasedCreates<TEmployee>? TryCreate(DbContext db, string directoryIdProperty, out string reason)
    {
        var provider = db.Database.ProviderName ?? "";
        if (provider is not (Sqlite or Npgsql))
        {
            reason = $"provider {provider} has no set-based path";
            return null;
        }

        var entity = db.Model.FindEntityType(typeof(TEmployee));
        if (entity is null || entity.GetTableName() is not { } table)
        {
            reason = "the entity is not mapped to a table";
            return null;
        }

        if (entity.BaseType is not null || entity.GetDirectlyDerivedTypes().Any() || entity.GetComplexProperties().Any()
            || entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned()) || entity.GetTableMappings().Count() != 1)
        {
            reason = "the entity uses inheritance, owned or complex types, or table splitting";
            return null;
        }

        var primaryKey = entity.FindPrimaryKey();
        if (primaryKey is null || primaryKey.Properties.Count != 1)
        {
            reason = "the entity has no single-property key";
            return null;
        }

        var keyProperty = primaryKey.Properties[0];
        var keySource = KeySource.Entity;
        if (keyProperty.ValueGenerated != ValueGenerated.Never)
        {
            var type = Nullable.GetUnderlyingType(keyProperty.ClrType) ?? keyProperty.ClrType;
            if (type == typeof(Guid))
            {
                keySource = KeySource.ClientGuid;
            }
            else if (type == typeof(int) || type == typeof(long) || type == typeof(short))
            {
                keySource = KeySource.Database;
            }
            else
            {
                reason = $"the key {keyProperty.Name} ({type.Name}) is generated in a way this path does not reproduce";
                return null;
            }
        }

        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = new List<Column>();
        foreach (var property in entity.GetProperties())
        {
            var column = property.GetColumnName(store);
            if (column is null)
            {
                continue;
            }

            if (property.ValueGenerated.HasFlag(ValueGenerated.OnUpdate))
            {
                // Computed or row version (PostgreSQL xmin, SQL Server rowversion): the database writes it.
                continue;
            }

            if (property.IsShadowProperty() || property.IsIndexerProperty())
            {
                reason = $"the property {property.Name} has no CLR property to read";
                return null;
            }

            if (property == keyProperty)
            {
                if (keySource == KeySource.Database)
                {
                    continue;
                }
            }
            else if (property.ValueGenerated != ValueGenerated.Never)
            {
                // EF Core leaves such a column to its database default when the value is the CLR default.
                reason = $"the property {property.Name} has a database default";
                return null;
            }

            columns.Add(new Column(property, sql.DelimitIdentifier(column), property.GetRelationalTypeMapping(), property.IsNullable));
        }

        var directoryId = entity.FindProperty(directoryIdProperty)!;
        var insert = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table, entity.GetSchema())).Append(" (");
        insert.AppendJoin(", ", columns.Select(c => c.Name)).Append(") VALUES ");
        var returning = $" ON CONFLICT DO NOTHING RETURNING {sql.DelimitIdentifier(keyProperty.GetColumnName(store)!)}, {sql.DelimitIdentifier(directoryId.GetColumnName(store)!)}";
        reason = "";
        return new SetBasedCreates<TEmployee>(provider, insert.ToString(), returning, [.. columns], keyProperty, directoryId, keySource);
    }

    /// <summary>
    /// Inserts <paramref name="employees"/> (filled, not tracked) in the context's current transaction and returns
    /// each one's key as text, in order. Throws <see cref="DbUpdateConcurrencyException"/> if a row was not inserted
    /// because the (tenant, directory id) exists (a concurrent insert): the caller's retry re-reads and repairs it.
    /// </summary>
    public async Task<string[]> InsertAsync(DbContext db, IReadOnlyList<TEmployee> employees, Func<object?, string> formatKey, CancellationToken cancellationToken)
    {
        var keys = new string[employees.Count];
        if (employees.Count == 0)
        {
            return keys;
        }

        if (_keySource == KeySource.ClientGuid)
        {
            foreach (var employee in employees)
            {
                if (_key.GetGetter().HasSentinelValueUsingContainingEntity(employee))
                {
                    _key.PropertyInfo!.SetValue(employee, Guid.CreateVersion7());
                }
            }
        }

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Set-based creates run inside the batch's transaction.");
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (db.Database.GetCommandTimeout() is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        if (_provider == Sqlite)
        {
            await RaiseSqlitePageCacheAsync(command, cancellationToken).ConfigureAwait(false);
        }

        var inserted = _provider == Sqlite && _keySource != KeySource.Database
            ? await InsertOneByOneAsync(command, employees, keys, formatKey, cancellationToken).ConfigureAwait(false)
            : await InsertReturningAsync(command, employees, keys, formatKey, cancellationToken).ConfigureAwait(false);

        if (inserted != employees.Count)
        {
            throw new DbUpdateConcurrencyException(
                $"{employees.Count - inserted} of {employees.Count} new employee(s) were not inserted: an employee with the same tenant and directory id exists (added since the run read the directory, or left by an earlier run). The batch is applied again, looks them up and repairs them.");
        }

        return keys;
    }

    /// <summary>
    /// Raises the SQLite connection's page cache from SQLite's default (2 MB) to <see cref="SqlitePageCacheKib"/>, once
    /// per connection (the setting lives as long as the pooled connection): a batch of a thousand new employees
    /// dirties a few thousand pages of the table and its two (tenant, ...) indexes, more than 2 MB holds, so SQLite
    /// wrote pages out and read them back during the batch. Measured on a 100k full sync (docs/benchmarks.md): most of
    /// the store's CPU was the kernel copying SQLite's pages. A cache the host set itself (any value but the default)
    /// is left alone; the cache holds memory only, it changes nothing in what is written or when it is durable.
    /// </summary>
    private static async Task RaiseSqlitePageCacheAsync(DbCommand command, CancellationToken cancellationToken)
    {
        command.CommandText = "PRAGMA cache_size";
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long pages && pages == SqliteDefaultCacheSize)
        {
            command.CommandText = "PRAGMA cache_size = " + (-SqlitePageCacheKib).ToString(CultureInfo.InvariantCulture);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SQLite with a key the entity carries: one prepared statement for every row, its parameters created once (with
    /// the type mapping's settings) and only their values set per row, through the mapping's converter as
    /// <see cref="RelationalTypeMapping.CreateParameter"/> does. No <c>RETURNING</c>: the key is known, and a row not
    /// inserted (the (tenant, directory id) exists) shows as 0 rows changed.
    /// </summary>
    private async Task<int> InsertOneByOneAsync(DbCommand command, IReadOnlyList<TEmployee> employees, string[] keys, Func<object?, string> formatKey, CancellationToken cancellationToken)
    {
        var parameters = new DbParameter[_columns.Length];
        for (var c = 0; c < _columns.Length; c++)
        {
            var column = _columns[c];
            parameters[c] = column.Mapping.CreateParameter(command, Name(c + 1), column.Getter.GetClrValueUsingContainingEntity(employees[0]), column.Nullable);
            command.Parameters.Add(parameters[c]);
        }

        command.CommandText = _sqliteText;
        var inserted = 0;
        for (var i = 0; i < employees.Count; i++)
        {
            var employee = employees[i];
            if (i > 0)
            {
                for (var c = 0; c < _columns.Length; c++)
                {
                    parameters[c].Value = _columns[c].ToProvider(employee);
                }
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                keys[i] = formatKey(_keyGetter.GetClrValueUsingContainingEntity(employee));
                inserted++;
            }
        }

        return inserted;
    }

    /// <summary>
    /// Multi-row <c>INSERT</c>s with numbered parameters ($1, $2, ...; PostgreSQL takes them positionally, unnamed and
    /// sent without rewriting), <c>RETURNING</c> the key and directory id of each row inserted: the keys a database
    /// generates are read back. On SQLite (a database-generated key) one row per statement (see
    /// <see cref="SqliteRowsPerStatement"/>).
    /// </summary>
    private async Task<int> InsertReturningAsync(DbCommand command, IReadOnlyList<TEmployee> employees, string[] keys, Func<object?, string> formatKey, CancellationToken cancellationToken)
    {
        var directoryIds = new Dictionary<string, int>(employees.Count, StringComparer.Ordinal);
        for (var i = 0; i < employees.Count; i++)
        {
            directoryIds[(string)_directoryIdGetter.GetClrValueUsingContainingEntity(employees[i])!] = i;
        }

        var sqlite = _provider == Sqlite;
        var rows = sqlite ? SqliteRowsPerStatement : Math.Max(1, Math.Min(MaxRowsPerStatement, MaxParameters / Math.Max(1, _columns.Length)));
        var inserted = 0;
        string? lastText = null;
        var lastRows = 0;
        foreach (var chunk in employees.Chunk(rows))
        {
            command.Parameters.Clear();
            var number = 1;
            for (var r = 0; r < chunk.Length; r++)
            {
                for (var c = 0; c < _columns.Length; c++)
                {
                    var column = _columns[c];
                    command.Parameters.Add(column.Mapping.CreateParameter(command, sqlite ? Name(number) : "", column.Getter.GetClrValueUsingContainingEntity(chunk[r]), column.Nullable));
                    number++;
                }
            }

            if (lastText is null || lastRows != chunk.Length)
            {
                lastText = Values(chunk.Length) + _returning;
                lastRows = chunk.Length;
            }

            // The same text again keeps the statement prepared (Microsoft.Data.Sqlite re-prepares only when it changes).
            if (!ReferenceEquals(command.CommandText, lastText))
            {
                command.CommandText = lastText;
            }

            inserted += await ReadKeysAsync(command, employees, directoryIds, keys, formatKey, cancellationToken).ConfigureAwait(false);
        }

        return inserted;
    }

    /// <summary>The <c>INSERT</c> with <paramref name="rows"/> rows of numbered parameters, without its conflict clause.</summary>
    private string Values(int rows)
    {
        var text = new StringBuilder(_insertColumns);
        var number = 1;
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Length; c++)
            {
                text.Append(c == 0 ? "$" : ", $").Append(number++);
            }

            text.Append(')');
        }

        return text.ToString();
    }

    private static string Name(int number) => number < Names.Length ? Names[number] : "$" + number.ToString(CultureInfo.InvariantCulture);

    private async Task<int> ReadKeysAsync(DbCommand command, IReadOnlyList<TEmployee> employees, Dictionary<string, int> directoryIds, string[] keys, Func<object?, string> formatKey, CancellationToken cancellationToken)
    {
        var rows = 0;
        var keyConverter = _key.GetTypeMapping().Converter;
        var directoryConverter = _directoryId.GetTypeMapping().Converter;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var directoryId = reader.GetValue(1);
            directoryId = directoryConverter is null ? directoryId : directoryConverter.ConvertFromProvider(directoryId);
            var index = directoryIds[(string)directoryId!];
            object? key;
            if (_keySource == KeySource.Database)
            {
                // RETURNING gives the provider's value (SQLite: long): converted as EF Core reads the column.
                key = reader.GetValue(0);
                key = keyConverter is null
                    ? Convert.ChangeType(key, Nullable.GetUnderlyingType(_key.ClrType) ?? _key.ClrType, CultureInfo.InvariantCulture)
                    : keyConverter.ConvertFromProvider(key);
                _key.PropertyInfo?.SetValue(employees[index], key);
            }
            else
            {
                key = _key.GetGetter().GetClrValueUsingContainingEntity(employees[index]);
            }

            keys[index] = formatKey(key);
            rows++;
        }

        return rows;
    }

    private sealed class Column(IProperty property, string name, RelationalTypeMapping mapping, bool nullable)
    {
        private readonly ValueConverter? _converter = mapping.Converter;
        private readonly Type? _enumUnderlying = (System.Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) is { IsEnum: true } type ? Enum.GetUnderlyingType(type) : null;

        public string Name { get; } = name;

        public RelationalTypeMapping Mapping { get; } = mapping;

        public bool Nullable { get; } = nullable;

        public IClrPropertyGetter Getter { get; } = property.GetGetter();

        /// <summary>The provider value of the row's property, as <see cref="RelationalTypeMapping.CreateParameter"/> sets it: enums as their number when not converted, then the mapping's converter, null as <see cref="DBNull"/>.</summary>
        public object ToProvider(TEmployee employee)
        {
            var value = Getter.GetClrValueUsingContainingEntity(employee);
            if (_converter is not null)
            {
                value = _converter.ConvertToProvider(value);
            }
            else if (_enumUnderlying is not null && value is not null)
            {
                value = Convert.ChangeType(value, _enumUnderlying, CultureInfo.InvariantCulture);
            }

            return value ?? DBNull.Value;
        }
    }
}
