using EntraSync.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntraSync.Reliability.Tests.Support;

/// <summary>The host's context: the ready-made employee entity and the sync state tables.</summary>
public sealed class ReliabilityDbContext(DbContextOptions<ReliabilityDbContext> options) : DbContext(options)
{
    public DbSet<SyncedEmployee> Employees => Set<SyncedEmployee>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();
        modelBuilder.AddEntraSyncState();
    }
}

/// <summary>A SQLite database file in a folder of its own, in WAL mode so concurrent runs read while one writes.</summary>
public sealed class SqliteFile : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("entrasync-reliability-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "entrasync.db");

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 60 }.ToString();

    public void Configure(DbContextOptionsBuilder options, params IInterceptor[] interceptors) =>
        options.UseSqlite(ConnectionString).AddInterceptors(interceptors);

    public ReliabilityDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<ReliabilityDbContext>();
        Configure(builder);
        return new ReliabilityDbContext(builder.Options);
    }

    public async Task CreateAsync()
    {
        await using var context = CreateContext();
        await context.Database.EnsureCreatedAsync();
        await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection of another context may still hold the file for a moment; the temp folder is the OS's to clean.
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The shared statement counter, aimed at the employee table, plus a count of the rows the database itself wrote
/// (triggers): the EF Core store inserts new employees without EF Core's command pipeline, which interceptors never see.
/// </summary>
public sealed class StoreProbe : StatementCounter
{
    public const string Table = "SyncedEmployees";

    private SqliteFile? _database;

    /// <summary>Counts the employee rows the database inserted, updated or deleted (every write path) since the last reset.</summary>
    public int Count(string verb)
    {
        using var connection = new SqliteConnection(Watched.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM \"ProbeWrites\" WHERE \"Verb\" = $verb";
        command.Parameters.AddWithValue("$verb", verb.ToUpperInvariant());
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Forgets the commands and the row writes seen so far.</summary>
    public new void Reset()
    {
        base.Reset();
        using var connection = new SqliteConnection(Watched.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM \"ProbeWrites\"";
        command.ExecuteNonQuery();
    }

    private SqliteFile Watched => _database ?? throw new InvalidOperationException("Call WatchAsync first: the row counts come from the database's triggers.");

    /// <summary>Adds the triggers that record every employee row written, whichever way it was written.</summary>
    public async Task WatchAsync(SqliteFile database)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE "ProbeWrites" ("Verb" TEXT NOT NULL);
            CREATE TRIGGER "ProbeInsert" AFTER INSERT ON "{Table}" BEGIN INSERT INTO "ProbeWrites" VALUES ('INSERT'); END;
            CREATE TRIGGER "ProbeUpdate" AFTER UPDATE ON "{Table}" BEGIN INSERT INTO "ProbeWrites" VALUES ('UPDATE'); END;
            CREATE TRIGGER "ProbeDelete" AFTER DELETE ON "{Table}" BEGIN INSERT INTO "ProbeWrites" VALUES ('DELETE'); END;
            """;
        await command.ExecuteNonQueryAsync();
        _database = database;
    }
}
