using EntraSync.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.Tests.TestSupport;

/// <summary>A tenant, an in-memory directory and stores, and the engine wired the way a host wires it.</summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    public const string Tenant = "contoso";

    private readonly ServiceProvider _provider;
    private int _nextId;

    public SyncHarness(Action<SyncProfile>? configure = null, Action<IServiceCollection>? services = null)
    {
        Profile = new SyncProfile { TenantId = Tenant };
        configure?.Invoke(Profile);
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddEntraUserSync(o => o.Tenants.Add(Profile)).AddInMemoryStores();
        collection.AddSingleton<IDirectorySource>(Directory);
        services?.Invoke(collection);
        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Sync = _provider.GetRequiredService<IEntraUserSync>();
        Store = _provider.GetRequiredService<InMemoryEmployeeStore>();
        State = _provider.GetRequiredService<InMemorySyncStateStore>();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    public InMemoryDirectory Directory { get; } = new() { PageSize = 10 };

    public SyncProfile Profile { get; }

    public IEntraUserSync Sync { get; }

    public InMemoryEmployeeStore Store { get; }

    public InMemorySyncStateStore State { get; }

    public IServiceProvider Services => _provider;

    public IReadOnlyList<InMemoryEmployee> Employees => Store.GetEmployees(Tenant);

    public string AddUser(string given, string surname, string? mail = null, Action<Dictionary<string, object?>>? more = null)
    {
        var id = $"00000000-0000-0000-0000-{++_nextId:D12}";
        var properties = new Dictionary<string, object?>
        {
            ["displayName"] = $"{given} {surname}",
            ["givenName"] = given,
            ["surname"] = surname,
            ["mail"] = mail ?? $"{given}.{surname}@contoso.com".ToLowerInvariant(),
            ["jobTitle"] = "Consultant",
            ["businessPhones"] = new[] { "+45 1234 5678" },
        };
        more?.Invoke(properties);
        Directory.Upsert(Tenant, id, properties);
        return id;
    }

    public void Change(string id, string property, object? value)
    {
        var user = Directory.GetUsers(Tenant).Single(u => u.Id == id);
        var properties = user.Properties.ToDictionary(p => p.Key, p => (object?)ToObject(p.Value), StringComparer.OrdinalIgnoreCase);
        properties[property] = value;
        Directory.Upsert(Tenant, id, properties);
    }

    public Task<SyncReport> RunAsync(SyncMode mode = SyncMode.Incremental, bool dryRun = false, CancellationToken cancellationToken = default) =>
        Sync.SyncAsync(Tenant, new SyncRunOptions { Mode = mode, DryRun = dryRun }, cancellationToken);

    /// <summary>Removes the tenant's checkpoint (as when a delta token is lost), under a lease of its own.</summary>
    public async Task ForgetCheckpointAsync()
    {
        var lease = (await State.TryAcquireLeaseAsync(Tenant, "test-reset", TimeSpan.FromMinutes(1))).Lease!;
        await State.SaveCheckpointAsync(Tenant, null, lease.Generation);
        await State.ReleaseLeaseAsync(lease);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private static object? ToObject(DirectoryValue value) => value.Kind switch
    {
        DirectoryValueKind.Null => null,
        DirectoryValueKind.List => value.AsList().ToArray(),
        DirectoryValueKind.Boolean => value.AsBoolean(),
        DirectoryValueKind.Number => value.AsNumber(),
        _ => value.AsString(),
    };
}

/// <summary>A filter for tests: users whose department is in the excluded set are out of scope.</summary>
internal sealed class DepartmentFilter(params string[] excluded) : IUserFilter
{
    public HashSet<string> Excluded { get; } = new(excluded, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> GetRequiredProperties(SyncContext context) => ["department"];

    public ScopeDecision Evaluate(DirectoryUser user, SyncContext context) =>
        user.GetString("department") is { } d && Excluded.Contains(d) ? ScopeDecision.OutOfScope($"department is {d}") : ScopeDecision.InScope;
}
