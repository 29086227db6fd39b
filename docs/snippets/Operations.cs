// The C# blocks of docs/operations.md, compiled.
using EntraSync;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Snippets;

public static class OperationsSnippets
{
    public static void Scheduler(WebApplicationBuilder builder)
    {
        builder.Services.AddEntraUserSync(builder.Configuration.GetSection("EntraSync"))
            .AddEntityFrameworkCoreStore<AppDbContext>()
            .AddScheduler(builder.Configuration.GetSection("EntraSync:Scheduler"));
    }

    public static async Task StagedRemovalsAsync(IEntraUserSync sync, string tenantId, StagedRemovals staged)
    {
        var pending = (await sync.GetStagedRemovalsAsync(tenantId)).Where(s => s.Status == StagedRemovalsStatus.Pending);
        await sync.ApproveRemovalsAsync(tenantId, staged.Id, decidedBy: "it-admin@customer.com"); // applies them, returns a report
        await sync.RejectRemovalsAsync(tenantId, staged.Id, decidedBy: "it-admin@customer.com");  // removes nobody
    }

    public static void Telemetry(WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource("EntraSync"))
            .WithMetrics(m => m.AddMeter("EntraSync"));
    }

    public static void Health(WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddEntraSync(tags: ["ready"]);
    }
}
