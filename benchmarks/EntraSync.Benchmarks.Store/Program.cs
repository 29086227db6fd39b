// The EF Core store benchmark: the sync engine end to end (InMemoryDirectory as the source, so only the engine and
// the store are measured) against SQLite (a file) and PostgreSQL.
//   dotnet run -c Release --project benchmarks/EntraSync.Benchmarks.Store -- [sqlite|postgres|all] [users]
// PostgreSQL: eng/postgres.sh, or ENTRASYNC_POSTGRES=<connection string>.
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EntraSync;
using EntraSync.EntityFrameworkCore;
using EntraSync.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

var which = args.Length > 0 ? args[0] : "all";
var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
Console.WriteLine($"| Provider | Scenario | Users read | Changes | Time | INSERT / UPDATE statements on employees | All statements |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
if (which is "inmemory" or "all")
{
    // The engine alone, for reference: what the figures below cost on top of it is the store's.
    await RunAsync("in-memory (baseline)", o => o.UseSqlite("Data Source=:memory:"), users);
}

if (which is "sqlite" or "all")
{
    var folder = Directory.CreateTempSubdirectory("entrasync-bench-").FullName;
    var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "bench.db") }.ToString();
    await RunAsync("SQLite", o => o.UseSqlite(connection), users);
    SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

if (which is "postgres" or "all")
{
    var server = Environment.GetEnvironmentVariable("ENTRASYNC_POSTGRES") is { Length: > 0 } value ? value : "Host=127.0.0.1;Port=5432;Username=entrasync;Password=entrasync;Database=postgres";
    var connection = new NpgsqlConnectionStringBuilder(server) { Database = "entrasync_bench_" + Guid.NewGuid().ToString("N")[..8] }.ToString();
    await RunAsync("PostgreSQL", o => o.UseNpgsql(connection), users);
    await using var context = new BenchContext(new DbContextOptionsBuilder<BenchContext>().UseNpgsql(connection).Options);
    await context.Database.EnsureDeletedAsync();
}

static async Task RunAsync(string provider, Action<DbContextOptionsBuilder> configure, int users)
{
    const string Tenant = "bench";
    var counter = new Counter();
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
            o.WriteBatchSize = 1_000;
        })
        .AddDirectorySource<InMemoryDirectory>();
    if (provider == "in-memory (baseline)")
    {
        builder.AddInMemoryStores();
    }
    else
    {
        builder.AddEntityFrameworkCoreStore<BenchContext>();
    }

    await using var provider2 = services.BuildServiceProvider();
    var directory = (InMemoryDirectory)provider2.GetRequiredService<IDirectorySource>();
    directory.PageSize = 1_000;
    var sync = provider2.GetRequiredService<IEntraUserSync>();
    for (var i = 0; i < users; i++)
    {
        directory.Upsert(Tenant, Id(i), User(i, "Consultant"));
    }

    async Task MeasureAsync(string scenario, SyncMode mode)
    {
        counter.Reset();
        var started = Stopwatch.GetTimestamp();
        var report = await sync.SyncAsync(Tenant, new SyncRunOptions { Mode = mode });
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (report.Outcome != SyncOutcome.Succeeded)
        {
            throw new InvalidOperationException($"{scenario}: {report.Outcome}: {string.Join(" ", report.Errors)}");
        }

        Console.WriteLine($"| {provider} | {scenario} | {report.Counts.Read:N0} | {report.Counts.Changes:N0} | {elapsed.TotalSeconds:0.00} s | {counter.Count("INSERT INTO \"SyncedEmployees\"")} / {counter.Count("UPDATE \"SyncedEmployees\"")} | {counter.Commands} |");
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
