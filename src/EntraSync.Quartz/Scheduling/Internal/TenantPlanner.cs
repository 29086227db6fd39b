using Microsoft.Extensions.Logging;
using Quartz;

namespace EntraSync.Quartz.Scheduling.Internal;

/// <summary>
/// Keeps the Quartz store in step with the profiles: a job and a schedule trigger for every enabled tenant, at the
/// time <see cref="IScheduledSync.PlanAsync"/> says (first slot with jitter, a profile change making it due now, a
/// quarantine lifted by a manual run), and no job for a tenant that is gone or disabled.
/// </summary>
internal sealed partial class TenantPlanner(IScheduledSync scheduled, ISyncProfileProvider profiles, ILogger<TenantPlanner> logger)
{
    public async Task<PlanSummary> PlanAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var existing = (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(QuartzKeys.TenantJobGroup), cancellationToken).ConfigureAwait(false))
            .Select(k => k.Name)
            .ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var enabled = new HashSet<string>(StringComparer.Ordinal);
        var complete = false;
        int added = 0, moved = 0, removed = 0, failed = 0;
        try
        {
            await foreach (var profile in profiles.GetProfilesAsync(cancellationToken).ConfigureAwait(false))
            {
                if (profile is null || string.IsNullOrWhiteSpace(profile.TenantId))
                {
                    Log.ProfileWithoutTenant(logger);
                    continue;
                }

                if (!seen.Add(profile.TenantId) || !profile.Enabled)
                {
                    continue;
                }

                enabled.Add(profile.TenantId);

                try
                {
                    switch (await PlanTenantAsync(scheduler, profile, existing.Contains(profile.TenantId), cancellationToken).ConfigureAwait(false))
                    {
                        case TenantChange.Added: added++; break;
                        case TenantChange.Moved: moved++; break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // One tenant's trouble never stops the plan of the others; the next pass tries it again.
                    failed++;
                    Log.TenantFailed(logger, ex, profile.TenantId);
                }
            }

            complete = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A provider outage must not unschedule everyone: tenants already planned keep their jobs.
            Log.ProfilesFailed(logger, ex, seen.Count);
        }

        if (complete)
        {
            foreach (var gone in existing.Where(t => !enabled.Contains(t)))
            {
                // A running execution finishes; its job is gone afterwards.
                if (await scheduler.DeleteJob(QuartzKeys.TenantJob(gone), cancellationToken).ConfigureAwait(false))
                {
                    removed++;
                    Log.TenantRemoved(logger, gone);
                }
            }
        }

        var summary = new PlanSummary(enabled.Count, added, moved, removed, failed, complete);
        Log.Planned(logger, summary.Tenants, added, moved, removed, failed);
        return summary;
    }

    private async Task<TenantChange> PlanTenantAsync(IScheduler scheduler, SyncProfile profile, bool exists, CancellationToken cancellationToken)
    {
        var tenantId = profile.TenantId;
        if (!exists)
        {
            await scheduler.AddJob(TenantTriggers.Job(tenantId), AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        }

        var state = await scheduler.GetTriggerState(QuartzKeys.ScheduleTrigger(tenantId), cancellationToken).ConfigureAwait(false);
        if (state is TriggerState.Blocked or TriggerState.Executing)
        {
            // The tenant is running somewhere in the cluster; the run puts its trigger where the schedule says.
            return TenantChange.None;
        }

        if (state is TriggerState.Paused)
        {
            // Paused by an operator (a dashboard, the HTTP API): theirs to resume.
            return TenantChange.None;
        }

        var plan = await scheduled.PlanAsync(profile, cancellationToken).ConfigureAwait(false);
        var stored = await TenantTriggers.AlignAsync(scheduler, profile, plan.NextDueAt, cancellationToken).ConfigureAwait(false);
        if (!exists)
        {
            Log.TenantAdded(logger, tenantId, plan.NextDueAt);
            return TenantChange.Added;
        }

        return stored ? TenantChange.Moved : TenantChange.None;
    }

    private enum TenantChange
    {
        None,
        Added,
        Moved,
    }

    private static partial class Log
    {
        [LoggerMessage(1111, LogLevel.Information, "EntraSync planned {Tenants} tenants on Quartz: {Added} added, {Moved} moved, {Removed} removed, {Failed} failed")]
        public static partial void Planned(ILogger logger, int tenants, int added, int moved, int removed, int failed);

        [LoggerMessage(1112, LogLevel.Information, "Tenant {TenantId} scheduled on Quartz: first run at {At:u}")]
        public static partial void TenantAdded(ILogger logger, string tenantId, DateTimeOffset at);

        [LoggerMessage(1113, LogLevel.Information, "Tenant {TenantId} has no enabled profile any more; its Quartz job was removed")]
        public static partial void TenantRemoved(ILogger logger, string tenantId);

        [LoggerMessage(1114, LogLevel.Error, "Planning tenant {TenantId} on Quartz failed; it is tried again at the next pass")]
        public static partial void TenantFailed(ILogger logger, Exception exception, string tenantId);

        [LoggerMessage(1115, LogLevel.Error, "Reading sync profiles failed after {Count} profiles; tenants already planned keep their Quartz jobs")]
        public static partial void ProfilesFailed(ILogger logger, Exception exception, int count);

        [LoggerMessage(1116, LogLevel.Warning, "A sync profile has no TenantId and is not scheduled; set TenantId in it")]
        public static partial void ProfileWithoutTenant(ILogger logger);
    }
}

/// <summary>What a planning pass did.</summary>
internal readonly record struct PlanSummary(int Tenants, int Added, int Moved, int Removed, int Failed, bool Complete);

/// <summary>The planner as a Quartz job: one pass at a time across the cluster, every refresh interval and on demand.</summary>
[DisallowConcurrentExecution]
internal sealed class PlanTenantsJob(TenantPlanner planner) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        context.Result = await planner.PlanAsync(context.Scheduler, cancellationToken).ConfigureAwait(false);
}
