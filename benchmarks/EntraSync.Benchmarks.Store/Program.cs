// The EF Core store benchmark: the sync engine end to end (InMemoryDirectory as the source, pages of 999 users as
// Graph sends them, so only the engine and the store are measured) against SQLite (a file; default rollback journal,
// and the write-ahead log docs/efcore-store.md recommends) and PostgreSQL. Each provider first warms up on another
// tenant (pass "cold" to measure the first sync of a fresh process), then prints the scenarios and where their time
// went: wall clock and CPU time inside the source, FindAsync, ApplyAsync, ReadLinkedAsync and the engine itself.
//   dotnet run -c Release --project benchmarks/EntraSync.Benchmarks.Store -- [inmemory|sqlite|sqlite-wal|postgres|all] [users] [cold] [feed]
//   dotnet run -c Release --project benchmarks/EntraSync.Benchmarks.Store -- [sqlite|postgres] [users] feed-compare [rounds]
// "feed-compare" measures what the change feed adds side by side in one process: a warm-up round, then rounds
// (default 3) of a full sync without and with the feed, each on a fresh database, the order alternating per round,
// then what the feed adds to the means.
// "feed" adds the change feed (with EF Core: the outbox written in each batch's transaction) to measure what it costs.
// PostgreSQL: eng/postgres.sh, or ENTRASYNC_POSTGRES=<connection string>. ENTRASYNC_BENCH_SQL=1 prints each distinct SQL text.
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using EntraSync;
using EntraSync.EntityFrameworkCore;
using EntraSync.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

var which = args.Length > 0 ? args[0] : "all";
var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var breakdown = new List<string>();
var cold = args.Contains("cold", StringComparer.Ordinal); // no warm-up: the first sync in a fresh process
var feed = args.Contains("feed", StringComparer.Ordinal); // with the change feed
if (args.Contains("feed-compare", StringComparer.Ordinal))
{
    var at = Array.IndexOf(args, "feed-compare");
    var rounds = args.Length > at + 1 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 3;
    await FeedCompare.RunAsync(which, users, rounds, (name, configure, withFeed, unused) => RunAsync(name, configure, users, unused, cold, withFeed));
    return;
}

Console.WriteLine($"| Provider | Scenario | Users read | Changes | Time | INSERT / UPDATE statements on employees | All statements |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
if (which is "inmemory" or "all")
{
    // The engine alone, for reference: what the figures below cost on top of it is the store's.
    await RunAsync("in-memory (baseline)", o => o.UseSqlite("Data Source=:memory:"), users, breakdown, cold, feed);
}

if (which is "sqlite" or "all")
{
    await BenchDatabases.OnFreshDatabaseAsync("sqlite", configure => RunAsync("SQLite", configure, users, breakdown, cold, feed));
}

if (which is "sqlite-wal" or "all")
{
    // The settings docs/efcore-store.md recommends for SQLite hosts: write-ahead log, no fsync per commit.
    await BenchDatabases.OnFreshDatabaseAsync("sqlite", configure => RunAsync("SQLite (WAL)", o => configure(o.AddInterceptors(new SqliteWriteAheadLog())), users, breakdown, cold, feed));
}

if (which is "postgres" or "all")
{
    await BenchDatabases.OnFreshDatabaseAsync("postgres", configure => RunAsync("PostgreSQL", configure, users, breakdown, cold, feed));
}

Console.WriteLine();
Console.WriteLine("Where the time goes, wall clock / CPU time of this process (engine = the rest: evaluation, hashing, planning):");
Console.WriteLine();
Console.WriteLine("| Provider | Scenario | Run | Source | FindAsync | ApplyAsync | ReadLinkedAsync | Engine | GC pauses, allocated | EF Core counters |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
foreach (var line in breakdown)
{
    Console.WriteLine(line);
}

static async Task<FullSync> RunAsync(string provider, Action<DbContextOptionsBuilder> configure, int users, List<string> breakdown, bool cold, bool feed)
{
    FullSync? full = null;
    const string Tenant = "bench";
    const string WarmUp = "warm-up";
    var counter = new Counter();
    using var efMeter = new EfCoreCounters();
    await using (var context = new BenchContext(Options(configure)))
    {
        await context.Database.EnsureDeletedAsync();
        await context.Database.EnsureCreatedAsync();
    }

    var services = new ServiceCollection();
    services.AddDbContextFactory<BenchContext>(o => configure(o.AddInterceptors(counter)));
    var builder = services.AddEntraUserSync(o =>
        {
            o.Tenants.Add(new SyncProfile { TenantId = Tenant });
            o.Tenants.Add(new SyncProfile { TenantId = WarmUp });
            o.WriteBatchSize = 1_000;
        });
    if (provider == "in-memory (baseline)")
    {
        builder.AddInMemoryStores();
    }
    else
    {
        builder.AddEntityFrameworkCoreStore<BenchContext>();
        if (feed)
        {
            builder.AddEntityFrameworkCoreChangeFeed<BenchContext>();
        }
    }

    if (feed)
    {
        // No handler and no host: the cost measured is recording the events, not delivering them.
        builder.AddChangeFeed();
        provider += " + change feed";
    }

    // Time spent in each part the engine calls, to see where a run goes before optimizing anything.
    var timings = new Timings();
    var directory = new InMemoryDirectory { PageSize = 999 }; // Graph pages hold up to 999 users.
    services.Replace(ServiceDescriptor.Singleton<IDirectorySource>(new TimedDirectory(directory, timings)));
    var store = services.Last(d => d.ServiceType == typeof(IEmployeeStore));
    services.RemoveAll<IEmployeeStore>();
    services.Add(ServiceDescriptor.Singleton<IEmployeeStore>(sp => new TimedStore(
        store.ImplementationInstance as IEmployeeStore
            ?? store.ImplementationFactory?.Invoke(sp) as IEmployeeStore
            ?? (IEmployeeStore)ActivatorUtilities.CreateInstance(sp, store.ImplementationType!),
        timings)));

    await using var provider2 = services.BuildServiceProvider();
    var sync = provider2.GetRequiredService<IEntraUserSync>();
    for (var i = 0; i < users; i++)
    {
        directory.Upsert(Tenant, Id(i), User(i, "Consultant"));
    }

    async Task MeasureAsync(string scenario, SyncMode mode, string tenant = Tenant)
    {
        counter.Reset();
        timings.Reset();
        efMeter.Take();
        GC.Collect();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var gcPause = GC.GetTotalPauseDuration();
        var gen2 = GC.CollectionCount(2);
        var faults = ProcessCounters.MinorPageFaults();
        var allocated = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        var report = await sync.SyncAsync(tenant, new SyncRunOptions { Mode = mode });
        var elapsed = Stopwatch.GetElapsedTime(started);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        gcPause = GC.GetTotalPauseDuration() - gcPause;
        gen2 = GC.CollectionCount(2) - gen2;
        faults = ProcessCounters.MinorPageFaults() - faults;
        allocated = GC.GetTotalAllocatedBytes() - allocated;
        if (report.Outcome != SyncOutcome.Succeeded)
        {
            throw new InvalidOperationException($"{scenario}: {report.Outcome}: {string.Join(" ", report.Errors)}");
        }

        if (Environment.GetEnvironmentVariable("ENTRASYNC_BENCH_SQL") == "1")
        {
            counter.PrintDistinct();
        }

        if (scenario.StartsWith("full sync", StringComparison.Ordinal))
        {
            full = new FullSync(elapsed, cpu, allocated, gen2, gcPause, faults);
        }

        Console.WriteLine($"| {provider} | {scenario} | {report.Counts.Read:N0} | {report.Counts.Changes:N0} | {elapsed.TotalSeconds:0.00} s | {counter.Count("INSERT INTO \"SyncedEmployees\"")} / {counter.Count("UPDATE \"SyncedEmployees\"")} | {counter.Commands} |");
        breakdown.Add($"| {provider} | {scenario} | {elapsed.TotalSeconds:0.00} / {cpu.TotalSeconds:0.00} s | {timings}{(elapsed - timings.Total).TotalSeconds:0.00} / {(cpu - timings.TotalCpu).TotalSeconds:0.00} s | {gcPause.TotalSeconds:0.00} s, {allocated / 1e6:N0} MB | {efMeter.Take()} |");
    }

    if (!cold)
    {
        // A host process has run EF Core and the engine before its big sync: JIT and tiering of EF Core's update
        // pipeline cost several CPU seconds in a fresh process. Warm up on another tenant (shown, not counted).
        for (var i = 0; i < 20_000; i++)
        {
            directory.Upsert(WarmUp, Id(i), User(i, "Consultant"));
        }

        await MeasureAsync("warm-up: full sync of another tenant, 20,000 new users", SyncMode.Full, WarmUp);
        await MeasureAsync("warm-up: full rerun", SyncMode.Full, WarmUp);
    }

    await MeasureAsync($"full sync, {users:N0} new users", SyncMode.Full);
    await MeasureAsync("full rerun, no changes", SyncMode.Full);
    await MeasureAsync("incremental rerun, no changes", SyncMode.Incremental);
    var changed = users / 100;
    for (var i = 0; i < changed; i++)
    {
        directory.Upsert(Tenant, Id(i * 100), User(i * 100, "Partner"));
    }

    await MeasureAsync($"incremental, 1% changed ({changed:N0})", SyncMode.Incremental);
    for (var i = 0; i < changed; i++)
    {
        directory.Upsert(Tenant, Id(i * 100 + 1), User(i * 100 + 1, "Partner"));
    }

    await MeasureAsync($"full read, 1% changed ({changed:N0})", SyncMode.Full);
    return full!;
}

static DbContextOptions<BenchContext> Options(Action<DbContextOptionsBuilder> configure)
{
    var builder = new DbContextOptionsBuilder<BenchContext>();
    configure(builder);
    return builder.Options;
}

static string Id(int i) => $"00000000-0000-0000-0000-{i:D12}";

static Dictionary<string, object?> User(int i, string title) => new()
{
    ["displayName"] = $"User {i}",
    ["givenName"] = "User",
    ["surname"] = $"Number {i}",
    ["mail"] = $"user{i}@bench.example",
    ["jobTitle"] = title,
    ["department"] = $"Department {i % 40}",
    ["businessPhones"] = new[] { "+45 1234 5678" },
};

internal sealed class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();
        modelBuilder.AddEntraSyncState();
        modelBuilder.AddEntraSyncChangeFeed();
    }
}

/// <summary>Wall-clock time inside the source and the store, summed over a run.</summary>
/// <summary>
/// Wall-clock and CPU time (the whole process's, so valid because the engine calls one part at a time) inside the
/// source and the store, summed over a run. CPU time is the steadier figure on a loaded machine.
/// </summary>
internal sealed class Timings
{
    private readonly long[] _wall = new long[4];
    private readonly long[] _cpu = new long[4];

    public enum Part { Source, Find, Apply, ReadLinked }

    public TimeSpan Total => Stopwatch.GetElapsedTime(0, _wall.Sum());

    public TimeSpan TotalCpu => TimeSpan.FromTicks(_cpu.Sum());

    public static (long Wall, long Cpu) Start() => (Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime.Ticks);

    public void Reset()
    {
        Array.Clear(_wall);
        Array.Clear(_cpu);
    }

    public void Add(Part part, (long Wall, long Cpu) started)
    {
        _wall[(int)part] += Stopwatch.GetTimestamp() - started.Wall;
        _cpu[(int)part] += Environment.CpuUsage.TotalTime.Ticks - started.Cpu;
    }

    /// <summary>Times each step of a stream, not the caller's work between steps.</summary>
    public async IAsyncEnumerable<T> Time<T>(IAsyncEnumerable<T> items, Part part, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var enumerator = items.GetAsyncEnumerator(cancellationToken);
        await using (enumerator)
        {
            while (true)
            {
                var started = Start();
                var more = await enumerator.MoveNextAsync();
                Add(part, started);
                if (!more)
                {
                    yield break;
                }

                yield return enumerator.Current;
            }
        }
    }

    public override string ToString() => string.Join("", Enumerable.Range(0, 4).Select(i => $"{Stopwatch.GetElapsedTime(0, _wall[i]).TotalSeconds:0.00} / {TimeSpan.FromTicks(_cpu[i]).TotalSeconds:0.00} s | "));
}

internal sealed class TimedDirectory(IDirectorySource inner, Timings timings) : IDirectorySource
{
    public IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, CancellationToken cancellationToken = default) =>
        timings.Time(inner.ReadUsersAsync(request, cancellationToken), Timings.Part.Source, cancellationToken);

    public ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default) => inner.GetUserAsync(request, user, cancellationToken);

    public ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default) => inner.GetPhotoAsync(request, userId, cancellationToken);
}

internal sealed class TimedStore(IEmployeeStore inner, Timings timings) : IEmployeeStore
{
    public async ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default)
    {
        var started = Timings.Start();
        try
        {
            return await inner.FindAsync(tenantId, directoryIds, emails, cancellationToken);
        }
        finally
        {
            timings.Add(Timings.Part.Find, started);
        }
    }

    public IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, CancellationToken cancellationToken = default) =>
        timings.Time(inner.ReadLinkedAsync(tenantId, cancellationToken), Timings.Part.ReadLinked, cancellationToken);

    public async ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        var started = Timings.Start();
        try
        {
            await inner.ApplyAsync(tenantId, changes, leaseGeneration, cancellationToken);
        }
        finally
        {
            timings.Add(Timings.Part.Apply, started);
        }
    }
}

/// <summary>EF Core's own counters (queries, SaveChanges, compiled-query cache misses; cumulative observable counters) for one run.</summary>
internal sealed class EfCoreCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _current = [];
    private Dictionary<string, long> _previous = [];

    public EfCoreCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.EntityFrameworkCore" && instrument.Name != "microsoft.entityframeworkcore.active_dbcontexts")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _current[instrument.Name] = value);
        _listener.Start();
    }

    /// <summary>What changed since the previous call.</summary>
    public string Take()
    {
        _listener.RecordObservableInstruments();
        var text = string.Join(", ", _current
            .Select(v => (Name: v.Key.Replace("microsoft.entityframeworkcore.", "", StringComparison.Ordinal), Delta: v.Value - _previous.GetValueOrDefault(v.Key)))
            .Where(v => v.Delta != 0)
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => $"{v.Name} {v.Delta}"));
        _previous = new Dictionary<string, long>(_current);
        return text;
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>Write-ahead log and <c>synchronous=NORMAL</c> on every connection (the snippet in docs/efcore-store.md).</summary>
internal sealed class SqliteWriteAheadLog : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
    }
}

internal sealed class Counter : DbCommandInterceptor
{
    private readonly List<string> _commands = [];
    private readonly Lock _gate = new();

    public int Commands
    {
        get
        {
            lock (_gate)
            {
                return _commands.Count;
            }
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _commands.Clear();
        }
    }

    public void PrintDistinct()
    {
        lock (_gate)
        {
            foreach (var text in _commands.Distinct(StringComparer.Ordinal))
            {
                Console.WriteLine("    " + text.ReplaceLineEndings(" "));
            }
        }
    }

    public int Count(string statement)
    {
        lock (_gate)
        {
            return _commands.Sum(c => Regex.Matches(c, Regex.Escape(statement)).Count);
        }
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Add(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Add(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Add(DbCommand command)
    {
        lock (_gate)
        {
            _commands.Add(command.CommandText);
        }
    }
}

/// <summary>What the OS counts for the process.</summary>
internal static class ProcessCounters
{
    /// <summary>Pages the OS had to map for the process (Linux <c>/proc/self/stat</c>, field 10; 0 elsewhere): fresh memory costs a fault per 4 KB page.</summary>
    public static long MinorPageFaults() =>
        File.Exists("/proc/self/stat") ? long.Parse(File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7], CultureInfo.InvariantCulture) : 0;
}
