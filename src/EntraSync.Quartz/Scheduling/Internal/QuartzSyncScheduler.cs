using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace EntraSync.Quartz.Scheduling.Internal;

/// <summary>
/// EntraSync's scheduler on Quartz: <see cref="IEntraSyncScheduler.NotifyProfilesChanged"/> fires the planner now,
/// and "Sync now" and approvals become one-shot triggers of the tenant's job.
/// </summary>
internal sealed partial class QuartzSyncScheduler(
    ISchedulerFactory schedulers,
    ISyncProfileProvider profiles,
    IOptionsMonitor<EntraSyncSchedulerOptions> options,
    TimeProvider time,
    ILogger<QuartzSyncScheduler> logger) : IEntraSyncScheduler, IQuartzSyncTriggers
{
    public void NotifyProfilesChanged()
    {
        if (!options.CurrentValue.Enabled)
        {
            return;
        }

        // The interface is synchronous (the built-in scheduler only sets a flag); storing the trigger is not.
        _ = Task.Run(async () =>
        {
            try
            {
                await PlanNowAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.PlanNowFailed(logger, ex);
            }
        });
    }

    /// <summary>Fires the planner once now; several calls before it runs coalesce into one pass.</summary>
    public async Task PlanNowAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(QuartzKeys.PlannerNow)
            .ForJob(QuartzKeys.Planner)
            .StartAt(time.GetUtcNow())
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await scheduler.ScheduleTrigger(trigger, TriggerConflict.Keep, cancellationToken).ConfigureAwait(false);
    }

    public Task SyncNowAsync(string tenantId, SyncMode mode = SyncMode.Incremental, CancellationToken cancellationToken = default) =>
        OneShotAsync(tenantId, QuartzKeys.SyncNowKind, new JobDataMap
        {
            [QuartzKeys.KindKey] = QuartzKeys.SyncNowKind,
            [QuartzKeys.ModeKey] = mode.ToString(),
        }, cancellationToken);

    public Task ApproveRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stagedRemovalsId);
        var data = new JobDataMap
        {
            [QuartzKeys.KindKey] = QuartzKeys.ApproveKind,
            [QuartzKeys.StagedRemovalsKey] = stagedRemovalsId,
        };
        if (decidedBy is not null)
        {
            data[QuartzKeys.DecidedByKey] = decidedBy;
        }

        return OneShotAsync(tenantId, QuartzKeys.ApproveKind, data, cancellationToken);
    }

    private async Task OneShotAsync(string tenantId, string kind, JobDataMap data, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        if (!await scheduler.Exists(QuartzKeys.TenantJob(tenantId), cancellationToken).ConfigureAwait(false))
        {
            // A tenant added a moment ago: the planner has not seen it yet. Its job needs only the profile to exist.
            if (await profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new ArgumentException($"Tenant '{tenantId}' has no sync profile; ISyncProfileProvider.GetProfileAsync returned null for it.", nameof(tenantId));
            }

            await scheduler.AddJob(TenantTriggers.Job(tenantId), AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        }

        await scheduler.ScheduleTrigger(TenantTriggers.OneShot(tenantId, data, time.GetUtcNow()), TriggerConflict.Throw, cancellationToken).ConfigureAwait(false);
        Log.OneShotStored(logger, tenantId, kind);
    }

    private static partial class Log
    {
        [LoggerMessage(1121, LogLevel.Error, "Asking the Quartz planner to read the profiles again failed; it reads them at its next refresh")]
        public static partial void PlanNowFailed(ILogger logger, Exception exception);

        [LoggerMessage(1122, LogLevel.Information, "Tenant {TenantId}: one-shot Quartz trigger stored ({Kind})")]
        public static partial void OneShotStored(ILogger logger, string tenantId, string kind);
    }
}
