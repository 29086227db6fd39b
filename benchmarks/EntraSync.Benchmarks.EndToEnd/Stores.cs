using System.Data.Common;
using System.Runtime.CompilerServices;
using EntraSync.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Benchmarks.EndToEnd;

/// <summary>What the store was asked to do in a run.</summary>
internal sealed class StoreCounts
{
    private int _finds;
    private int _batches;
    private int _changes;
    private int _linkedReads;
    private int _sqlStatements;
    private int _sqlWrites;

    /// <summary>Lookups (EntraSync: one per page) or queries (baseline).</summary>
    public int Finds => _finds;

    /// <summary>Write batches (EntraSync: ApplyAsync calls; baseline: SaveChanges calls that wrote something).</summary>
    public int Batches => _batches;

    /// <summary>Employees written (created, updated, deactivated...).</summary>
    public int Changes => _changes;

    public int LinkedReads => _linkedReads;

    /// <summary>SQL commands sent (SQLite only).</summary>
    public int SqlStatements => _sqlStatements;

    /// <summary>INSERT, UPDATE and DELETE statements on the employee table among them (a batched command counted per statement).</summary>
    public int SqlWrites => _sqlWrites;

    public void Find() => Interlocked.Increment(ref _finds);

    public void Batch(int changes)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _changes, changes);
    }

    public void LinkedRead() => Interlocked.Increment(ref _linkedReads);

    /// <summary>The employee table whose INSERT, UPDATE and DELETE statements count as writes (state tables do not).</summary>
    public string EmployeeTable { get; set; } = "SyncedEmployees";

    public void Sql(string text)
    {
        Interlocked.Increment(ref _sqlStatements);
        Interlocked.Add(ref _sqlWrites, CountWrites(text, EmployeeTable));
    }

    public void Reset()
    {
        _finds = _batches = _changes = _linkedReads = _sqlStatements = _sqlWrites = 0;
    }

    private static int CountWrites(string sql, string table)
    {
        var count = 0;
        foreach (var keyword in (ReadOnlySpan<string>)[$"INSERT INTO \"{table}\"", $"UPDATE \"{table}\"", $"DELETE FROM \"{table}\""])
        {
            for (var at = sql.IndexOf(keyword, StringComparison.OrdinalIgnoreCase); at >= 0; at = sql.IndexOf(keyword, at + keyword.Length, StringComparison.OrdinalIgnoreCase))
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>Counts what the engine asks of the real store it wraps.</summary>
internal sealed class CountingEmployeeStore(IEmployeeStore inner, StoreCounts counts) : IEmployeeStore
{
    public ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default)
    {
        counts.Find();
        return inner.FindAsync(tenantId, directoryIds, emails, cancellationToken);
    }

    public IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        counts.LinkedRead();
        return inner.ReadLinkedAsync(tenantId, cancellationToken);
    }

    public ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        counts.Batch(changes.Count);
        return inner.ApplyAsync(tenantId, changes, leaseGeneration, cancellationToken);
    }

    /// <summary>Wraps the store registered last.</summary>
    public static void Decorate(IServiceCollection services, StoreCounts counts)
    {
        var original = services.Last(d => d.ServiceType == typeof(IEmployeeStore));
        services.Remove(original);
        services.AddSingleton<IEmployeeStore>(sp => new CountingEmployeeStore(
            (IEmployeeStore)(original.ImplementationInstance
                ?? original.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)),
            counts));
    }
}

/// <summary>
/// A store that keeps nobody: every lookup finds nothing and writes are counted and dropped. Used to measure the
/// engine and the Graph source alone (their memory per user), without a store's own copy of the employees.
/// </summary>
internal sealed class DiscardingEmployeeStore(StoreCounts counts) : IEmployeeStore
{
    /// <summary>Gets or sets the probe that measures the live heap at the first page and when the run reads the linked employees.</summary>
    public LiveHeapProbe? Probe { get; init; }

    public ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default)
    {
        counts.Find();
        if (Probe is { FirstPage: null } probe)
        {
            probe.FirstPage = GC.GetTotalMemory(forceFullCollection: true);
        }

        return ValueTask.FromResult<IReadOnlyList<StoredEmployee>>([]);
    }

    public async IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        counts.LinkedRead();
        if (Probe is { } probe)
        {
            probe.EndOfRead = GC.GetTotalMemory(forceFullCollection: true);
        }

        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    public ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        counts.Batch(changes.Count);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Counts every SQL command EF Core sends.</summary>
internal sealed class SqlCounter(StoreCounts counts) : DbCommandInterceptor
{
    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        counts.Sql(command.CommandText);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        counts.Sql(command.CommandText);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        counts.Sql(command.CommandText);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        counts.Sql(command.CommandText);
        return base.ReaderExecuting(command, eventData, result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        counts.Sql(command.CommandText);
        return base.NonQueryExecuting(command, eventData, result);
    }
}

/// <summary>EntraSync's EF Core store: the ready-made employee entity and the sync state.</summary>
internal sealed class EntraSyncContext(DbContextOptions<EntraSyncContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();
        modelBuilder.AddEntraSyncState();
    }
}

/// <summary>
/// The live heap (after full collections) at the run's first page and at the end of its read, when the engine holds
/// every id and email it has seen and asks for the linked employees: the difference is what the run keeps per user.
/// </summary>
internal sealed class LiveHeapProbe
{
    public long? FirstPage { get; set; }

    public long? EndOfRead { get; set; }

    public long? Growth => EndOfRead - FirstPage;
}
