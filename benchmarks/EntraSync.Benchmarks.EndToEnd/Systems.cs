using EntraSync.Testing;
using EntraSync.Testing.Emulator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Benchmarks.EndToEnd;

/// <summary>Where employees are kept.</summary>
internal enum StoreKind
{
    /// <summary>
    /// EntraSync: an in-memory store indexed by directory id and email (<see cref="IndexedMemoryStore"/>).
    /// Baseline: EF Core on an in-memory SQLite database (indexed, as the baseline's real database would be).
    /// </summary>
    Memory,

    /// <summary>EntraSync only: EntraSync.Testing's InMemoryEmployeeStore, a test fake that scans the tenant per page.</summary>
    Testing,

    /// <summary>Both: EF Core on a SQLite file (EntraSync's ready-made EF store; the baseline's own entity).</summary>
    Sqlite,

    /// <summary>EntraSync only: a store that keeps nobody, so only the engine and the source are measured.</summary>
    Discard,

    /// <summary>
    /// Both: EF Core on PostgreSQL (eng/postgres.sh, or ENTRASYNC_POSTGRES=&lt;connection string&gt;), each run in a
    /// database of its own, dropped afterwards.
    /// </summary>
    Postgres,
}

/// <summary>A PostgreSQL database of its own for one run.</summary>
internal static class PostgresRun
{
    public static string NewDatabase(string prefix)
    {
        var server = Environment.GetEnvironmentVariable("ENTRASYNC_POSTGRES") is { Length: > 0 } value ? value : "Host=127.0.0.1;Port=5432;Username=entrasync;Password=entrasync;Database=postgres";
        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = prefix + Guid.NewGuid().ToString("N")[..10] }.ToString();
    }
}

/// <summary>EntraSync wired up as a host would: AddEntraUserSync, the default Graph source, a store.</summary>
internal sealed class EntraSyncSystem : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string? _folder;

    private EntraSyncSystem(ServiceProvider provider, StoreCounts counts, string tenantId, string? folder)
    {
        _provider = provider;
        Counts = counts;
        TenantId = tenantId;
        _folder = folder;
        Sync = provider.GetRequiredService<IEntraUserSync>();
    }

    public IEntraUserSync Sync { get; }

    public StoreCounts Counts { get; }

    public string TenantId { get; }

    /// <summary>Gets the SQLite file of the run (<see cref="StoreKind.Sqlite"/>), or <see langword="null"/>.</summary>
    public string? SqliteFile => _folder is null ? null : Path.Combine(_folder, "entrasync.db");

    /// <summary>How many employees the store holds, when it keeps them in memory.</summary>
    public int? StoredCount => _provider.GetService<IndexedMemoryStore>()?.Count(TenantId);

    public static async Task<EntraSyncSystem> CreateAsync(GraphEmulator emulator, EmulatedTenant tenant, StoreKind store, LiveHeapProbe? probe = null)
    {
        var counts = new StoreCounts();
        var profile = new SyncProfile
        {
            TenantId = tenant.Id,
            Connection = new DirectoryConnectionOptions { TenantId = tenant.Id, GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken(tenant.Id) },
        };
        profile.Photos.Size = null;

        // The incremental scenario deletes 0.1% (1,000 of 1M): above the default guard of 500 per run, which would
        // stage them for approval instead of applying them.
        profile.Removal.MaxRemovalsPerRun = 100_000;
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddEntraUserSync(o => o.Tenants.Add(profile));
        string? folder = null;
        switch (store)
        {
            case StoreKind.Memory:
                builder.AddInMemoryStores();
                services.AddSingleton<IndexedMemoryStore>();
                services.AddSingleton<IEmployeeStore>(sp => new CountingEmployeeStore(sp.GetRequiredService<IndexedMemoryStore>(), counts));
                break;
            case StoreKind.Testing:
                builder.AddInMemoryStores();
                CountingEmployeeStore.Decorate(services, counts);
                break;
            case StoreKind.Discard:
                builder.AddInMemoryStores();
                services.AddSingleton<IEmployeeStore>(new DiscardingEmployeeStore(counts) { Probe = probe });
                break;
            case StoreKind.Sqlite:
                folder = Directory.CreateTempSubdirectory("entrasync-e2e-").FullName;
                var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "entrasync.db") }.ToString();
                var counter = new SqlCounter(counts);
                services.AddDbContextFactory<EntraSyncContext>(o => o.UseSqlite(connection).AddInterceptors(counter));
                builder.AddEntityFrameworkCoreStore<EntraSyncContext>();
                CountingEmployeeStore.Decorate(services, counts);
                break;
            case StoreKind.Postgres:
                var postgres = PostgresRun.NewDatabase("entrasync_e2e_");
                services.AddDbContextFactory<EntraSyncContext>(o => o.UseNpgsql(postgres).AddInterceptors(new SqlCounter(counts)));
                builder.AddEntityFrameworkCoreStore<EntraSyncContext>();
                CountingEmployeeStore.Decorate(services, counts);
                break;
        }

        var provider = services.BuildServiceProvider();
        if (store is StoreKind.Sqlite or StoreKind.Postgres)
        {
            await using var context = await provider.GetRequiredService<IDbContextFactory<EntraSyncContext>>().CreateDbContextAsync();
            await context.Database.EnsureCreatedAsync();
        }

        return new EntraSyncSystem(provider, counts, tenant.Id, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await DropPostgresAsync<EntraSyncContext>(_provider);
        await _provider.DisposeAsync();
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Drops the run's own PostgreSQL database, if it used one.</summary>
    internal static async Task DropPostgresAsync<TContext>(IServiceProvider provider)
        where TContext : DbContext
    {
        if (provider.GetService<IDbContextFactory<TContext>>() is not { } factory)
        {
            return;
        }

        await using var context = await factory.CreateDbContextAsync();
        if (context.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await context.Database.EnsureDeletedAsync();
        }
    }
}

/// <summary>The hand-written baseline wired up: the SDK client pointed at the emulator, EF Core on the store.</summary>
internal sealed class BaselineSystem : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string? _folder;

    private readonly SqliteConnection? _keepAlive;

    private BaselineSystem(ServiceProvider provider, HandWrittenSync sync, string? folder, SqliteConnection? keepAlive)
    {
        _provider = provider;
        _keepAlive = keepAlive;
        Sync = sync;
        _folder = folder;
    }

    public HandWrittenSync Sync { get; }

    public StoreCounts Counts => Sync.Counts;

    public static async Task<BaselineSystem> CreateAsync(GraphEmulator emulator, EmulatedTenant tenant, StoreKind store)
    {
        var services = new ServiceCollection();
        string? folder = null;
        var counts = new StoreCounts { EmployeeTable = "Employees" };
        var counter = new Lazy<SqlCounter>(() => new SqlCounter(counts));
        SqliteConnection? keepAlive = null;
        switch (store)
        {
            case StoreKind.Memory:
                // A shared-cache in-memory SQLite database lives while one connection to it is open.
                var memory = $"Data Source=baseline-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
                keepAlive = new SqliteConnection(memory);
                keepAlive.Open();
                services.AddDbContextFactory<BaselineContext>(o => o.UseSqlite(memory).AddInterceptors(counter.Value));
                break;
            case StoreKind.Sqlite:
                folder = Directory.CreateTempSubdirectory("entrasync-baseline-").FullName;
                var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "baseline.db") }.ToString();
                services.AddDbContextFactory<BaselineContext>(o => o.UseSqlite(connection).AddInterceptors(counter.Value));
                break;
            case StoreKind.Postgres:
                var postgres = PostgresRun.NewDatabase("entrasync_baseline_");
                services.AddDbContextFactory<BaselineContext>(o => o.UseNpgsql(postgres).AddInterceptors(counter.Value));
                break;
            default:
                throw new ArgumentException($"The baseline has no '{store}' store; use memory, sqlite or postgres.");
        }

        var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IDbContextFactory<BaselineContext>>();
        var sync = new HandWrittenSync(emulator.CreateGraphClient(tenant.Id), factory, tenant.Id, counts);
        await using (var context = await factory.CreateDbContextAsync())
        {
            await context.Database.EnsureCreatedAsync();
        }

        return new BaselineSystem(provider, sync, folder, keepAlive);
    }

    public async ValueTask DisposeAsync()
    {
        await EntraSyncSystem.DropPostgresAsync<BaselineContext>(_provider);
        await _provider.DisposeAsync();
        if (_keepAlive is not null)
        {
            await _keepAlive.DisposeAsync();
        }

        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
