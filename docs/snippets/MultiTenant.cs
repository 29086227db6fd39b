// The C# blocks of docs/multi-tenant.md, compiled.
using System.Runtime.CompilerServices;
using EntraSync;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

/// <summary>One customer's integration settings, as the host keeps them in its own database.</summary>
public sealed class Integration
{
    public int Id { get; set; }
    public string CustomerKey { get; set; } = "";
    public string CustomerName { get; set; } = "";
    public string EntraTenantId { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";   // encrypt it at rest, or keep a vault reference here
    public bool Enabled { get; set; }
    public bool DeleteEmployees { get; set; }
    public string? ODataFilter { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class IntegrationDbContext(DbContextOptions<IntegrationDbContext> options) : DbContext(options)
{
    public DbSet<Integration> Integrations => Set<Integration>();
}

public sealed class IntegrationProfileProvider(IDbContextFactory<IntegrationDbContext> factory) : ISyncProfileProvider
{
    public async ValueTask<SyncProfile?> GetProfileAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.CustomerKey == tenantId, cancellationToken);
        return row is null ? null : ToProfile(row);
    }

    public async IAsyncEnumerable<SyncProfile> GetProfilesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await foreach (var row in db.Integrations.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return ToProfile(row);   // streamed: thousands of tenants never sit in memory at once
        }
    }

    private static SyncProfile ToProfile(Integration row) => new()
    {
        TenantId = row.CustomerKey,                        // your key; every store call is scoped by it
        DisplayName = row.CustomerName,
        Enabled = row.Enabled,
        Version = row.UpdatedAt.UtcTicks.ToString(),       // a change re-plans the tenant (and lifts a quarantine)
        Connection = { TenantId = row.EntraTenantId, ClientId = row.ClientId, ClientSecret = row.ClientSecret },
        Scope = { ODataFilter = row.ODataFilter },
        Removal = { Mode = row.DeleteEmployees ? RemovalMode.Delete : RemovalMode.SoftDelete },
    };
}

public static class MultiTenantSetup
{
    public static void Register(WebApplicationBuilder builder)
    {
        builder.Services.AddDbContextFactory<IntegrationDbContext>(o => o.UseSqlite("Data Source=app.db"));
        builder.Services.AddEntraUserSync(builder.Configuration.GetSection("EntraSync"))
            .AddProfileProvider<IntegrationProfileProvider>()
            .AddEntityFrameworkCoreStore<AppDbContext>()
            .AddScheduler(builder.Configuration.GetSection("EntraSync:Scheduler"));
    }

    public static async Task SaveIntegrationAsync(IntegrationDbContext db, Integration integration, IEntraSyncScheduler scheduler, IEntraUserSync sync, TimeProvider time)
    {
        integration.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync();
        scheduler.NotifyProfilesChanged();                                   // noticed now, not at the next refresh
        await sync.SyncAsync(integration.CustomerKey, new SyncRunOptions { Mode = SyncMode.Full }); // "Initiate synchronisation"
    }
}
