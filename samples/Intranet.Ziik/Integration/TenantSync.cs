using EntraSync;
using Intranet.Ziik.Data;

namespace Intranet.Ziik.Integration;

/// <summary>
/// Runs a sync: "Initiate synchronisation" reads everyone; the hourly run reads only the changes, unless the
/// integration settings changed since the last full read (the delta would not re-evaluate unchanged users).
/// </summary>
public sealed class TenantSync(IEntraUserSync sync, IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task<SyncReport> RunAsync(string tenantId, bool initiate, SyncTrigger trigger, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntranetDb>();
        var settings = await db.Integrations.FindAsync([tenantId], cancellationToken)
            ?? throw new InvalidOperationException($"Tenant '{tenantId}' has no integration.");
        var mode = initiate || settings.FullSyncRequired ? SyncMode.Full : SyncMode.Incremental;
        var report = await sync.SyncAsync(tenantId, new SyncRunOptions { Mode = mode, Trigger = trigger }, cancellationToken);
        for (var waited = 0; report.Outcome == SyncOutcome.AlreadyRunning && waited < 240; waited++)
        {
            // A run a change in Entra ID started (live updates) holds the tenant for a moment: run after it.
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            report = await sync.SyncAsync(tenantId, new SyncRunOptions { Mode = mode, Trigger = trigger }, cancellationToken);
        }

        if (mode == SyncMode.Full && report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded)
        {
            settings.FullSyncRequired = false;
            await db.SaveChangesAsync(cancellationToken);
        }

        return report;
    }
}

/// <summary>"Ziik will request for updates in your Azure AD every hour." Remembers when the next run is, for the integration page.</summary>
public sealed partial class HourlySync(SyncRuns runs, TimeProvider time, ILogger<HourlySync> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Gets when the next hourly run starts.</summary>
    public DateTimeOffset? NextRunAt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            NextRunAt = time.GetUtcNow() + Interval;
            await Task.Delay(Interval, time, stoppingToken);
            if (runs.TryStart("the hourly schedule", initiate: false, SyncTrigger.Schedule) is { } run)
            {
                await run;
            }
            else
            {
                Log.AlreadyRunning(logger);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Hourly synchronisation skipped: one was already running")]
        public static partial void AlreadyRunning(ILogger logger);
    }
}
