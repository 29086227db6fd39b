using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
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
/// Sees every command EF Core sends: counts the statements that write the employee table and can make the database
/// fail on a chosen command (the store throwing mid-batch).
/// </summary>
public sealed class StoreProbe : DbCommandInterceptor
{
    public const string Table = "SyncedEmployees";

    private readonly ConcurrentQueue<string> _commands = new();
    private int _injected;

    /// <summary>Returns an exception to throw instead of running the command, or null to run it.</summary>
    public Func<string, Exception?>? FailWhen { get; set; }

    public int Injected => Volatile.Read(ref _injected);

    public IReadOnlyCollection<string> Commands => _commands;

    public void Reset() => _commands.Clear();

    /// <summary>Counts statements of a kind on the employee table, including several batched into one command.</summary>
    public int Count(string verb)
    {
        var pattern = verb switch
        {
            "INSERT" => $"INSERT INTO \"{Table}\"",
            "DELETE" => $"DELETE FROM \"{Table}\"",
            _ => $"{verb} \"{Table}\"",
        };
        return _commands.Sum(c => Regex.Matches(c, Regex.Escape(pattern)).Count);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        See(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        See(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        See(command);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        See(command);
        return base.ReaderExecuting(command, eventData, result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        See(command);
        return base.NonQueryExecuting(command, eventData, result);
    }

    private void See(DbCommand command)
    {
        if (FailWhen?.Invoke(command.CommandText) is { } error)
        {
            Interlocked.Increment(ref _injected);
            throw error;
        }

        _commands.Enqueue(command.CommandText);
    }
}
