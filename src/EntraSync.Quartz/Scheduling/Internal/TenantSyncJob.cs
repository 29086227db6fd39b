using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace EntraSync.Quartz.Scheduling.Internal;

/// <summary>
/// One tenant's job: its scheduled slot (through <see cref="IScheduledSync"/>, the built-in scheduler's rules), a
/// "Sync now" or an approval. One execution per tenant at a time across the cluster
/// (<see cref="DisallowConcurrentExecutionAttribute"/> on a job per tenant); the run lease is the second guard, against
/// runs started outside Quartz and a node that lost the cluster but not its run.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class TenantSyncJob(
    IScheduledSync scheduled,
    IEntraUserSync sync,
    ISyncProfileProvider profiles,
    IOptionsMonitor<EntraSyncSchedulerOptions> options,
    TimeProvider time,
    ILogger<TenantSyncJob> logger) : IJob
{
    internal static readonly ActivitySource ActivitySource = new(EntraSyncTelemetry.Name);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var data = context.MergedJobDataMap;
        var tenantId = data.TryGetString(QuartzKeys.TenantIdKey, out var id) && id is { Length: > 0 } ? id : context.JobDetail.Key.Name;
        var kind = data.TryGetString(QuartzKeys.KindKey, out var k) && k is { Length: > 0 } ? k : QuartzKeys.ScheduleKind;

        // The engine's own activity (entrasync.sync) and metrics nest under this one, which nests under Quartz's.
        using var activity = ActivitySource.StartActivity("entrasync.quartz.job", ActivityKind.Internal);
        activity?.SetTag(EntraSyncTelemetryTags.TenantId, tenantId);
        activity?.SetTag(EntraSyncTelemetryTags.Trigger, kind);
        activity?.SetTag("quartz.instance.id", context.Scheduler.SchedulerInstanceId);
        activity?.SetTag("quartz.recovering", context.Recovering);

        var profile = await profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (profile is null || !profile.Enabled)
        {
            // The planner removes the job at its next pass; a one-shot for a removed tenant has nothing to do.
            Log.NoProfile(logger, tenantId);
            return;
        }

        DateTimeOffset due;
        try
        {
            switch (kind)
            {
                case QuartzKeys.SyncNowKind:
                    var mode = data.TryGetString(QuartzKeys.ModeKey, out var m) && Enum.TryParse<SyncMode>(m, out var parsed) ? parsed : SyncMode.Incremental;
                    context.Result = await sync.SyncAsync(profile, new SyncRunOptions { Mode = mode, Trigger = SyncTrigger.Manual }, cancellationToken).ConfigureAwait(false);
                    due = (await scheduled.PlanAsync(profile, cancellationToken).ConfigureAwait(false)).NextDueAt;
                    break;

                case QuartzKeys.ApproveKind:
                    var staged = data.TryGetString(QuartzKeys.StagedRemovalsKey, out var s) ? s : null;
                    data.TryGetString(QuartzKeys.DecidedByKey, out var decidedBy);
                    context.Result = await sync.ApproveRemovalsAsync(tenantId, staged ?? "", decidedBy, cancellationToken).ConfigureAwait(false);
                    due = (await scheduled.PlanAsync(profile, cancellationToken).ConfigureAwait(false)).NextDueAt;
                    break;

                default:
                    var result = await scheduled.RunIfDueAsync(profile, cancellationToken).ConfigureAwait(false);
                    context.Result = result.Report;
                    due = result.NextDueAt;
                    if (result.QuarantinedUntil is { } q && q > time.GetUtcNow())
                    {
                        Log.Quarantined(logger, tenantId, q);
                    }

                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the slot stays due in the state store and the trigger is where it was.
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One tenant's trouble (its store rows, its provider) never stops the others, and never puts the trigger in
            // Quartz's ERROR state: look again after the poll interval, as the built-in scheduler does.
            Log.TenantFailed(logger, ex, tenantId);
            activity?.SetTag(EntraSyncTelemetryTags.ErrorType, ex.GetType().FullName);
            due = time.GetUtcNow() + options.CurrentValue.PollInterval;
        }

        if (context.Result is SyncReport report)
        {
            activity?.SetTag(EntraSyncTelemetryTags.Outcome, report.Outcome.ToString());
        }

        // Quartz decides what is due on its own clock. A due time that clock has passed, after an execution that ran
        // nothing, means EntraSync's clock and Quartz's disagree (a TimeProvider registered for one and not the
        // other): moved there, the trigger would fire again at once, find nothing due, and again. Look again after the
        // poll interval instead, and say so.
        var quartzNow = context.Scheduler.TimeProvider.GetUtcNow();
        if (context.Result is null && due <= quartzNow)
        {
            Log.ClocksDisagree(logger, tenantId, due, quartzNow);
            due = quartzNow + options.CurrentValue.PollInterval;
        }

        // Quarantine and back-off are reschedules of the tenant's trigger: it fires next when the schedule says.
        if (await TenantTriggers.AlignAsync(context.Scheduler, profile, due, CancellationToken.None).ConfigureAwait(false))
        {
            Log.Rescheduled(logger, tenantId, due);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1101, LogLevel.Information, "Tenant {TenantId} has no enabled profile; its Quartz job does nothing until the planner removes it")]
        public static partial void NoProfile(ILogger logger, string tenantId);

        [LoggerMessage(1102, LogLevel.Warning, "Tenant {TenantId} is quarantined until {Until:u}; its Quartz trigger is held back until then")]
        public static partial void Quarantined(ILogger logger, string tenantId, DateTimeOffset until);

        [LoggerMessage(1103, LogLevel.Error, "The Quartz job of tenant {TenantId} failed; it is tried again after the poll interval")]
        public static partial void TenantFailed(ILogger logger, Exception exception, string tenantId);

        [LoggerMessage(1105, LogLevel.Warning, "Tenant {TenantId} is not due until {Due:O} by EntraSync's clock, but Quartz's clock reads {QuartzNow:O}: they disagree, so its trigger waits for the poll interval. Give EntraSync and Quartz the same TimeProvider")]
        public static partial void ClocksDisagree(ILogger logger, string tenantId, DateTimeOffset due, DateTimeOffset quartzNow);

        [LoggerMessage(1104, LogLevel.Debug, "Tenant {TenantId}'s Quartz trigger moved to {Due:u}")]
        public static partial void Rescheduled(ILogger logger, string tenantId, DateTimeOffset due);
    }
}
