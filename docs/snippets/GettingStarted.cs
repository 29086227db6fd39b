// The C# blocks of docs/getting-started.md, compiled; tests/EntraSync.Docs.Tests runs the emulator one.
using EntraSync;
using EntraSync.Connectivity;
using EntraSync.Testing.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Snippets;

public static class GettingStarted
{
    public static async Task<SyncReport> FirstSyncAsync()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 50, Seed = 42 });

        var builder = Host.CreateApplicationBuilder();
        builder.Services
            .AddEntraUserSync(options => options.Tenants.Add(new SyncProfile
            {
                TenantId = "contoso",
                Connection =
                {
                    TenantId = emulator.DefaultTenant.Id,
                    GraphBaseUrl = emulator.GraphBaseUrl,                                // the emulator instead of Graph
                    AccessToken = emulator.CreateAccessToken(emulator.DefaultTenant.Id), // instead of a secret
                },
            }))
            .AddInMemoryStores();                                                       // your store comes later

        using var host = builder.Build();
        await host.StartAsync();                                                        // validates the options
        var report = await host.Services.GetRequiredService<IEntraUserSync>().SyncAsync("contoso");
        Console.WriteLine($"{report.Outcome}: {report.Counts}");
        await host.StopAsync();
        return report;
    }

    public static void RealTenant(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services
            .AddEntraUserSync(builder.Configuration.GetSection("EntraSync"))
            .AddEntityFrameworkCoreStore<AppDbContext>()
            .AddScheduler(builder.Configuration.GetSection("EntraSync:Scheduler"));
    }

    public static async Task CheckConnectivityAsync(IServiceProvider services, SyncProfile profile)
    {
        var checker = services.GetRequiredService<IDirectoryConnectivityChecker>();
        var result = await checker.CheckConnectivityAsync(profile);
        foreach (var check in result.Checks)
        {
            Console.WriteLine(check);   // Token: Passed - ..., Users: Failed - ... User.Read.All ...
        }
    }
}
