using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

/// <summary>The databases the benchmark runs on, each fresh and removed afterwards.</summary>
internal static class BenchDatabases
{
    /// <summary>Runs on a database of its own, removed afterwards: a SQLite file in a new folder, or a new PostgreSQL database (eng/postgres.sh, or ENTRASYNC_POSTGRES).</summary>
    public static async Task<T> OnFreshDatabaseAsync<T>(string which, Func<Action<DbContextOptionsBuilder>, Task<T>> run)
    {
        if (which == "sqlite")
        {
            var folder = Directory.CreateTempSubdirectory("entrasync-bench-").FullName;
            try
            {
                var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "bench.db") }.ToString();
                return await run(o => o.UseSqlite(connection));
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }

        var server = Environment.GetEnvironmentVariable("ENTRASYNC_POSTGRES") is { Length: > 0 } value ? value : "Host=127.0.0.1;Port=5432;Username=entrasync;Password=entrasync;Database=postgres";
        var database = new NpgsqlConnectionStringBuilder(server) { Database = "entrasync_bench_" + Guid.NewGuid().ToString("N")[..8] }.ToString();
        try
        {
            return await run(o => o.UseNpgsql(database));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var context = new BenchContext(new DbContextOptionsBuilder<BenchContext>().UseNpgsql(database).Options);
            await context.Database.EnsureDeletedAsync();
        }
    }
}
