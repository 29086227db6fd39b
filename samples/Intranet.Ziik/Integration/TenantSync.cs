using EntraSync;
using Intranet.Ziik.Data;

namespace Intranet.Ziik.Integration;

/// <summary>
/// Runs a sync: "Initiate synchronisation" reads everyone; the hourly run reads only the changes, unless the
/// integration settings changed since the last full read (the delta would not re-evaluate unchanged users).
/// </summary>
public sealed class TenantSync(IEntraUserSync sync, IServiceScopeFactory scopes)
{
    public async Task<SyncReport> RunAsync(string tenantId, bool initiate, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntranetDb>();
        var settings = await db.Integrations.FindAsync([tenantId], cancellationToken)
            ?? throw new InvalidOperationException($"Tenant '{tenantId}' has no integration.");
        var mode = initiate || settings.FullSyncRequired ? SyncMode.Full : SyncMode.Incremental;
        var report = await sync.SyncAsync(tenantId, new SyncRunOptions { Mode = mode }, cancellationToken);
        if (mode == SyncMode.Full && report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded)
        {
            settings.FullSyncRequired = false;
            await db.SaveChangesAsync(cancellationToken);
        }

        return report;
    }
}

/// <summary>"Ziik will request for updates in your Azure AD every hour."</summary>
public sealed class HourlySync(TenantSync sync, TimeProvider time, ILogger<HourlySync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                logger.LogInformation("Hourly sync: {Report}", await sync.RunAsync(IntranetApp.TenantId, initiate: false, stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Hourly sync failed");
            }
        }
    }
}
