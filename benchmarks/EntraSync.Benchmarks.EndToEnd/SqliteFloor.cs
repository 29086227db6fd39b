using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EntraSync.Benchmarks.EndToEnd;

/// <summary>
/// The floor under the EF Core store's SQLite writes: the rows a full sync wrote, read back from its database and
/// inserted again into a fresh database with the same schema by the cheapest ADO.NET loop there is (one prepared
/// <c>INSERT</c>, parameters created once and only their values set per row, no <c>RETURNING</c>), in transactions of
/// as many rows as the store's batches. Variants show where that floor goes: the file as EF Core creates it
/// (write-ahead log, <c>synchronous=FULL</c>), the same with a 64 MB page cache, and an in-memory database (SQLite's
/// own work with no file I/O).
/// </summary>
internal static class SqliteFloor
{
    public static async Task<List<Row>> RunAsync(string sourceFile, string table, int users, int rowsPerTransaction)
    {
        var (schema, columns, rows) = Read(sourceFile, table);
        var result = new List<Row>();
        foreach (var (name, inMemory, cacheKib) in (List<(string, bool, int?)>)[
            ("file, WAL, default page cache (2 MB)", false, null),
            ("file, WAL, page cache 64 MB", false, 65_536),
            ("in memory (no file I/O)", true, null),
        ])
        {
            var folder = Directory.CreateTempSubdirectory("entrasync-floor-").FullName;
            try
            {
                var connectionString = inMemory
                    ? $"Data Source=floor-{Guid.NewGuid():N};Mode=Memory;Cache=Shared"
                    : new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "floor.db") }.ToString();
                await using var connection = new SqliteConnection(connectionString);
                connection.Open();
                Execute(connection, inMemory ? "PRAGMA journal_mode" : "PRAGMA journal_mode = 'wal'");
                if (cacheKib is { } kib)
                {
                    Execute(connection, $"PRAGMA cache_size = -{kib.ToString(CultureInfo.InvariantCulture)}");
                }

                foreach (var statement in schema)
                {
                    Execute(connection, statement);
                }

                var (inserted, cost) = await Measurement.MeasureAsync(() => Task.FromResult(Insert(connection, table, columns, rows, rowsPerTransaction)));
                var perRow = cost.CpuSeconds / Math.Max(1, inserted) * 1e6;
                result.Add(new Row
                {
                    Scenario = $"raw prepared INSERT of the same rows, {rowsPerTransaction} per transaction: {name}",
                    System = "Microsoft.Data.Sqlite",
                    Store = "sqlite",
                    Users = users,
                    Cost = cost,
                    EmployeesWritten = inserted,
                    Outcome = string.Create(CultureInfo.InvariantCulture, $"{inserted:N0} rows, {perRow:0.0} µs CPU and {cost.WallSeconds / Math.Max(1, inserted) * 1e6:0.0} µs wall per row"),
                });
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }

        return result;
    }

    private static (List<string> Schema, List<string> Columns, List<object[]> Rows) Read(string file, string table)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        var schema = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = $t AND sql IS NOT NULL ORDER BY type DESC";
            command.Parameters.AddWithValue("$t", table);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                schema.Add(reader.GetString(0));
            }
        }

        var rows = new List<object[]>();
        var columns = new List<string>();
        using (var command = connection.CreateCommand())
        {
            // In insertion order, as the store wrote them.
            command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            using var reader = command.ExecuteReader();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns.Add(reader.GetName(i));
            }

            while (reader.Read())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(values);
            }
        }

        return (schema, columns, rows);
    }

    private static int Insert(SqliteConnection connection, string table, List<string> columns, List<object[]> rows, int rowsPerTransaction)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$" + (i + 1).ToString(CultureInfo.InvariantCulture)))})";
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter("$" + (i + 1).ToString(CultureInfo.InvariantCulture), null))).ToArray();
        var inserted = 0;
        foreach (var chunk in rows.Chunk(rowsPerTransaction))
        {
            using var transaction = connection.BeginTransaction();
            command.Transaction = transaction;
            foreach (var row in chunk)
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    parameters[i].Value = row[i];
                }

                inserted += command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return inserted;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
