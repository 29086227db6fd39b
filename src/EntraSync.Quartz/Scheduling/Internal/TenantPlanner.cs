using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EntraSync.Quartz.Scheduling.Internal;

/// <summary>
/// Keeps the Quartz store in step with the profiles: a job and a schedule trigger for every enabled tenant, at the
/// time <see cref="IScheduledSync.PlanAsync"/> says (first slot with jitter, a profile change making it due now, a
/// quarantine lifted by a manual run), and no job for a tenant that is gone or disabled. Thousands of tenants cost a
/// few round trips to the job store: the triggers are read in one, new tenants stored in one.
/// </summary>
internal sealed partial class TenantPlanner(IScheduledSync scheduled, ISyncProfileProvider profiles, ILogger<TenantPlanner> logger)
{
    /// <summary>How many tenants' schedules are read from the state store at once.</summary>
    private const int Parallelism = 8;

    public async Task<PlanSummary> PlanAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var existing = (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(QuartzKeys.TenantJobGroup), cancellationToken).ConfigureAwait(false))
            .Select(k => k.Name)
            .ToHashSet(StringComparer.Ordinal);
        var (enabled, complete) = await ReadProfilesAsync(cancellationToken).ConfigureAwait(false);

        // Where each tenant is due, by the schedule in the state store.
        var due = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var failed = 0;
        await Parallel.ForEachAsync(enabled, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (profile, ct) =>
        {
            try
            {
                due[profile.TenantId] = (await scheduled.PlanAsync(profile, ct).ConfigureAwait(false)).NextDueAt;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // One tenant's trouble never stops the plan of the others; the next pass tries it again.
                Interlocked.Increment(ref failed);
                Log.TenantFailed(logger, ex, profile.TenantId);
            }
        }).ConfigureAwait(false);

        var triggers = (await scheduler.GetTriggers([.. existing.Select(QuartzKeys.ScheduleTrigger)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(t => t.Key.Name, StringComparer.Ordinal);
        var added = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        var moved = 0;
        foreach (var profile in enabled)
        {
            if (!due.TryGetValue(profile.TenantId, out var at))
            {
                continue;
            }

            var interval = TenantTriggers.IntervalOf(profile);
            if (!triggers.TryGetValue(profile.TenantId, out var trigger))
            {
                added[TenantTriggers.Job(profile.TenantId)] = [TenantTriggers.Schedule(profile.TenantId, at, interval)];
                Log.TenantAdded(logger, profile.TenantId, at);
            }
            else if (!TenantTriggers.FiresAt(trigger, at, interval) && await MoveAsync(scheduler, profile, at, cancellationToken).ConfigureAwait(false))
            {
                moved++;
            }
        }

        if (added.Count > 0)
        {
            await scheduler.ScheduleJobs(added, ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        }

        var removed = 0;
        if (complete)
        {
            var keep = enabled.Select(p => p.TenantId).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in existing.Where(t => !keep.Contains(t)))
            {
                // A running execution finishes; its job is gone afterwards.
                if (await scheduler.DeleteJob(QuartzKeys.TenantJob(gone), cancellationToken).ConfigureAwait(false))
                {
                    removed++;
                    Log.TenantRemoved(logger, gone);
                }
            }
        }

        var summary = new PlanSummary(enabled.Count, added.Count, moved, removed, failed, complete);
        Log.Planned(logger, summary.Tenants, summary.Added, moved, removed, failed);
        return summary;
    }

    private async Task<(List<SyncProfile> Enabled, bool Complete)> ReadProfilesAsync(CancellationToken cancellationToken)
    {
        var enabled = new List<SyncProfile>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            await foreach (var profile in profiles.GetProfilesAsync(cancellationToken).ConfigureAwait(false))
            {
                if (profile is null || string.IsNullOrWhiteSpace(profile.TenantId))
                {
                    Log.ProfileWithoutTenant(logger);
                }
                else if (seen.Add(profile.TenantId) && profile.Enabled)
                {
                    enabled.Add(profile);
                }
            }

            return (enabled, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A provider outage must not unschedule everyone: tenants already planned keep their jobs.
            Log.ProfilesFailed(logger, ex, seen.Count);
            return (enabled, false);
        }
    }

    private static async Task<bool> MoveAsync(IScheduler scheduler, SyncProfile profile, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var state = await scheduler.GetTriggerState(QuartzKeys.ScheduleTrigger(profile.TenantId), cancellationToken).ConfigureAwait(false);

        // Running somewhere in the cluster: the run puts its trigger where the schedule says. Paused by an operator
        // (a dashboard, the HTTP API): theirs to resume.
        return state is not (TriggerState.Blocked or TriggerState.Executing or TriggerState.Paused)
            && await TenantTriggers.AlignAsync(scheduler, profile, due, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(1111, LogLevel.Information, "EntraSync planned {Tenants} tenants on Quartz: {Added} added, {Moved} moved, {Removed} removed, {Failed} failed")]
        public static partial void Planned(ILogger logger, int tenants, int added, int moved, int removed, int failed);

        [LoggerMessage(1112, LogLevel.Debug, "Tenant {TenantId} scheduled on Quartz: first run at {At:u}")]
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
