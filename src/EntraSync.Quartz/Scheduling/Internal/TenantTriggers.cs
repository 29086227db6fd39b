using Quartz;

namespace EntraSync.Quartz.Scheduling.Internal;

/// <summary>Builds a tenant's job and triggers, and moves its schedule trigger to the time the schedule says.</summary>
internal static class TenantTriggers
{
    /// <summary>Fire times closer than this are the same slot (the store keeps milliseconds).</summary>
    private static readonly TimeSpan SameSlot = TimeSpan.FromSeconds(1);

    public static IJobDetail Job(string tenantId) => JobBuilder.Create<TenantSyncJob>()
        .WithIdentity(QuartzKeys.TenantJob(tenantId))
        .WithDescription("EntraSync: sync of tenant " + tenantId)
        .UsingJobData(QuartzKeys.TenantIdKey, tenantId)
        .StoreDurably()

        // A node that dies mid-run hands the firing to another node as soon as the cluster notices.
        .RequestRecovery()
        .Build();

    /// <summary>
    /// The tenant's schedule trigger: first at <paramref name="due"/>, then every interval of the profile. After a run
    /// on time the repeat lands on the tenant's next slot, so the trigger is left alone (no write to the job store);
    /// the job rewrites it only when the schedule says otherwise (quarantine, back-off, a late or manual run).
    /// </summary>
    /// <remarks>
    /// Misfire: a slot missed while the cluster was down fires once, now (<see cref="SimpleTriggerMisfireInstruction.NowWithExistingCount"/>),
    /// never once per missed interval; the run then puts the trigger back on the tenant's grid.
    /// </remarks>
    public static ITrigger Schedule(string tenantId, DateTimeOffset due, TimeSpan interval) => TriggerBuilder.Create()
        .WithIdentity(QuartzKeys.ScheduleTrigger(tenantId))
        .ForJob(QuartzKeys.TenantJob(tenantId))
        .UsingJobData(QuartzKeys.KindKey, QuartzKeys.ScheduleKind)
        .StartAt(due)
        .WithSchedule(SimpleScheduleBuilder.Create()
            .WithInterval(interval)
            .RepeatForever()
            .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount))
        .Build();

    /// <summary>A one-shot trigger that fires the tenant's job now with <paramref name="data"/>; a late one still fires, once.</summary>
    public static ITrigger OneShot(string tenantId, JobDataMap data, DateTimeOffset at) => TriggerBuilder.Create()
        .WithIdentity(new TriggerKey(tenantId + "/" + Guid.NewGuid().ToString("N"), QuartzKeys.OneShotTriggerGroup))
        .ForJob(QuartzKeys.TenantJob(tenantId))
        .UsingJobData(data)
        .StartAt(at)
        .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
        .Build();

    /// <summary>The interval the schedule trigger repeats at: the profile's, or the default when it is unusable.</summary>
    public static TimeSpan IntervalOf(SyncProfile profile) =>
        profile.Schedule.Interval >= TimeSpan.FromMinutes(1) ? profile.Schedule.Interval : new ScheduleOptions().Interval;

    /// <summary>Whether <paramref name="trigger"/> is a schedule trigger that fires next at <paramref name="due"/> and repeats every <paramref name="interval"/>.</summary>
    public static bool FiresAt(ITrigger? trigger, DateTimeOffset due, TimeSpan interval) =>
        trigger is ISimpleTrigger simple && simple.RepeatInterval == interval && trigger.NextFireTimeUtc is { } next && (next - due).Duration() < SameSlot;

    /// <summary>Moves the tenant's schedule trigger to <paramref name="due"/> unless it already fires then.</summary>
    /// <returns><see langword="true"/> when the trigger was stored anew.</returns>
    public static async ValueTask<bool> AlignAsync(IScheduler scheduler, SyncProfile profile, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var tenantId = profile.TenantId;
        var interval = IntervalOf(profile);
        var current = await scheduler.GetTrigger(QuartzKeys.ScheduleTrigger(tenantId), cancellationToken).ConfigureAwait(false);
        if (FiresAt(current, due, interval))
        {
            return false;
        }

        await scheduler.ScheduleTrigger(Schedule(tenantId, due, interval), TriggerConflict.Replace, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
