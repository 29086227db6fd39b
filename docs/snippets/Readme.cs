// The C# blocks of the repository's README.md, compiled.
using EntraSync;
using EntraSync.Testing.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

public static class Readme
{
    public static async Task QuickStartAsync(WebApplicationBuilder builder, WebApplication app)
    {
        builder.Services
            .AddEntraUserSync(builder.Configuration.GetSection("EntraSync"))   // tenants' profiles, validated at start-up
            .AddEmployeeStore<MyEmployeeStore>()                               // your storage (IEmployeeStore)
            .AddSyncStateStore<MySyncStateStore>();                            // checkpoints, history (ISyncStateStore)

        // "Sync now"
        var report = await app.Services.GetRequiredService<IEntraUserSync>().SyncAsync("contoso");
        Console.WriteLine(report.Counts);   // read 412, created 3, updated 7, unchanged 398, deactivated 1, ...
    }

    public static void EfCore(IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        // OnModelCreating: modelBuilder.AddSyncedEmployees(); modelBuilder.AddEntraSyncState();
        services.AddDbContextFactory<AppDbContext>(o => o.UseNpgsql(connectionString));
        services.AddEntraUserSync(configuration.GetSection("EntraSync")).AddEntityFrameworkCoreStore<AppDbContext>();
    }

    public static void ManyTenants(WebApplicationBuilder builder)
    {
        builder.Services.AddEntraUserSync(builder.Configuration.GetSection("EntraSync"))
            .AddEntityFrameworkCoreStore<AppDbContext>()
            .AddScheduler(builder.Configuration.GetSection("EntraSync:Scheduler"));   // every 2 hours per tenant, with jitter
        builder.Services.AddHealthChecks().AddEntraSync(tags: ["ready"]);
        // "Sync now": await sync.SyncAsync(tenantId);  one user: await sync.SyncUserAsync(tenantId, "ada@contoso.com");
    }

    public static async Task EmulatorAsync(string id)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 500, Seed = 42 });
        var graphBaseUrl = emulator.GraphBaseUrl;                          // http://127.0.0.1:PORT/v1.0 for Connection:GraphBaseUrl
        var token = emulator.CreateAccessToken();                          // for Connection:AccessToken
        emulator.DefaultTenant.UpdateUser(id, u => u.JobTitle = "CFO");    // shows up in the next delta round
        emulator.Faults.Status = 429; emulator.Faults.RetryAfterSeconds = 1.5; emulator.Faults.Rate = 0.3;
    }
}
