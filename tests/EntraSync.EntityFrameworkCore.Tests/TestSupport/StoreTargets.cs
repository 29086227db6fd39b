using EntraSync.EntityFrameworkCore;
using EntraSync.Testing;
using EntraSync.Testing.Conformance;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.EntityFrameworkCore.Tests.TestSupport;

public sealed class InMemoryTarget : IStoreConformanceTarget
{
    private readonly InMemorySyncStateStore _state = new();
    private readonly InMemoryEmployeeStore _employees;

    public InMemoryTarget()
    {
        _employees = new InMemoryEmployeeStore(_state);
    }

    public IEmployeeStore Employees => _employees;

    public ISyncStateStore State => _state;

    public ValueTask<string> AddLocalEmployeeAsync(string tenantId, string? email, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_employees.AddLocalEmployee(tenantId, email));
}

/// <summary>The EF Core stores over the ready-made entity, resolved the way a host resolves them.</summary>
public sealed class EfTarget : IStoreConformanceTarget, IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TestDatabase _database;

    private EfTarget(TestDatabase database, ServiceProvider services)
    {
        _database = database;
        _services = services;
        Employees = services.GetRequiredService<IEmployeeStore>();
        State = services.GetRequiredService<ISyncStateStore>();
    }

    public IEmployeeStore Employees { get; }

    public ISyncStateStore State { get; }

    public static Task<EfTarget> CreateAsync(TestDatabase database, params IInterceptor[] interceptors) => CreateAsync(database, trackedWrites: false, interceptors);

    /// <summary>With <paramref name="trackedWrites"/>, new employees go through EF Core's change tracker, as on providers without a set-based path.</summary>
    public static async Task<EfTarget> CreateAsync(TestDatabase database, bool trackedWrites, params IInterceptor[] interceptors)
    {
        await database.EnsureCreatedAsync<TestDbContext>(o => new TestDbContext(o));
        var services = new ServiceCollection();
        if (trackedWrites)
        {
#pragma warning disable EF1001 // EF Core's analyzer flags every *.EntityFrameworkCore.*.Internal namespace; this one is EntraSync's own.
            services.AddSingleton<EntraSync.EntityFrameworkCore.Employees.Internal.TrackedEmployeeWrites>();
#pragma warning restore EF1001
        }

        services.AddDbContextFactory<TestDbContext>(o => database.Configure(o, interceptors));
        services.AddEntraUserSync().AddEntityFrameworkCoreStore<TestDbContext>();
        return new EfTarget(database, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
    }

    public async ValueTask<string> AddLocalEmployeeAsync(string tenantId, string? email, CancellationToken cancellationToken = default)
    {
        await using var context = new TestDbContext(_database.Options<TestDbContext>());
        var employee = new SyncedEmployee { TenantId = tenantId, Email = email };
        context.Employees.Add(employee);
        await context.SaveChangesAsync(cancellationToken);
        return employee.Id.ToString();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
