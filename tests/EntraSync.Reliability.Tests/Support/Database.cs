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

/// <summary>The shared statement counter, aimed at the employee table.</summary>
public sealed class StoreProbe : StatementCounter
{
    public const string Table = "SyncedEmployees";

    /// <summary>Counts statements of a kind on the employee table, including several batched into one command.</summary>
    public int Count(string verb) => Count(verb, Table);
}
