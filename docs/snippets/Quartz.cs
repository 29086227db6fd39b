// The C# blocks of docs/quartz.md, compiled.
using EntraSync;
using EntraSync.Quartz;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Snippets;

public static class QuartzSetup
{
    public static void Register(WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("App")!;
        builder.Services.AddDbContextFactory<AppDbContext>(o => o.UseNpgsql(connectionString));

        builder.Services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(4);                      // tenants synced at once on this node
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);        // Quartz's tables beside yours (QRTZ_*)
                store.UseClustering();                      // every node shares the schedule; one fires each trigger
                store.ProvisionSchema();                    // create the tables if missing (or run Quartz's DDL yourself)
            });
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);

        builder.Services.AddEntraUserSync(builder.Configuration.GetSection("EntraSync"))
            .AddProfileProvider<IntegrationProfileProvider>()
            .AddEntityFrameworkCoreStore<AppDbContext>()
            .AddQuartzScheduling(builder.Configuration.GetSection("EntraSync:Scheduler"));

        builder.Services.AddHealthChecks()
            .AddEntraSyncQuartz(tags: ["ready"])            // this node's scheduler and job store
            .AddQuartz();                                   // Quartz's own: cluster check-ins, stale firings
    }

    public static async Task SyncNowAsync(IQuartzSyncTriggers triggers, string customerKey)
    {
        await triggers.SyncNowAsync(customerKey, SyncMode.Full);                 // runs on whichever node is free
    }

    public static async Task ApproveAsync(IQuartzSyncTriggers triggers, string customerKey, string stagedRemovalsId, string admin)
    {
        await triggers.ApproveRemovalsAsync(customerKey, stagedRemovalsId, admin);
    }
}
