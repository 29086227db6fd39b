using EntraSync.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.EntityFrameworkCore.Tests.TestSupport;

/// <summary>The engine wired as a host wires it: EF Core store on a real database, an in-memory directory.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private EngineHarness(TestDatabase database, ServiceProvider services, List<SyncProfile> profiles, StatementCounter statements, FakeTimeProvider time)
    {
        Database = database;
        Statements = statements;
        Time = time;
        _services = services;
        Profiles = profiles;
        Sync = services.GetRequiredService<IEntraUserSync>();
        Directory = (InMemoryDirectory)services.GetRequiredService<IDirectorySource>();
        Directory.PageSize = 100;
    }

    public TestDatabase Database { get; }

    public List<SyncProfile> Profiles { get; }

    public StatementCounter Statements { get; }

    public FakeTimeProvider Time { get; }

    public IEntraUserSync Sync { get; }

    public InMemoryDirectory Directory { get; }

    public IServiceProvider Services => _services;

    public static async Task<EngineHarness> CreateAsync(TestDatabase database, int writeBatchSize = 1_000, params string[] tenants)
    {
        await database.EnsureCreatedAsync<TestDbContext>(o => new TestDbContext(o));
        var profiles = tenants.Select(t => new SyncProfile { TenantId = t }).ToList();
        var counter = new StatementCounter();
        var services = new ServiceCollection();
        services.AddDbContextFactory<TestDbContext>(o => database.Configure(o, counter));
        services.AddEntraUserSync(o =>
            {
                foreach (var profile in profiles)
                {
                    o.Tenants.Add(profile);
                }

                o.WriteBatchSize = writeBatchSize;
            })
            .AddEntityFrameworkCoreStore<TestDbContext>()
            .AddDirectorySource<InMemoryDirectory>();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        services.AddSingleton<TimeProvider>(time);
        return new EngineHarness(database, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), profiles, counter, time);
    }

    public static string UserId(int i) => $"00000000-0000-0000-0000-{i:D12}";

    public void AddUsers(string tenant, int count, int from = 0, string title = "Consultant")
    {
        for (var i = from; i < from + count; i++)
        {
            Directory.Upsert(tenant, UserId(i), new Dictionary<string, object?>
            {
                ["displayName"] = $"User {i}",
                ["givenName"] = "User",
                ["surname"] = $"Number {i}",
                ["mail"] = $"user{i}@{tenant}.example",
                ["jobTitle"] = title,
            });
        }
    }

    public Task<SyncReport> RunAsync(string tenant, SyncMode mode = SyncMode.Full) => Sync.SyncAsync(tenant, new SyncRunOptions { Mode = mode });

    public async Task<List<SyncedEmployee>> EmployeesAsync(string tenant)
    {
        await using var context = new TestDbContext(Database.Options<TestDbContext>());
        return await context.Employees.AsNoTracking().Where(e => e.TenantId == tenant).ToListAsync();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
