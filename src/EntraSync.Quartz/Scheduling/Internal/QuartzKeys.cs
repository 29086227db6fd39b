using Quartz;

namespace EntraSync.Quartz.Scheduling.Internal;

/// <summary>
/// Where EntraSync keeps its jobs and triggers in the Quartz store: one durable job per tenant (named by the tenant id,
/// which its job data carries too), one repeating schedule trigger per tenant, one-shot triggers for "Sync now" and
/// approvals, and the planner that keeps the tenants' jobs in step with the profiles.
/// </summary>
internal static class QuartzKeys
{
    public const string TenantJobGroup = "EntraSync.Tenants";
    public const string ScheduleTriggerGroup = "EntraSync.Schedule";
    public const string OneShotTriggerGroup = "EntraSync.OneShot";
    public const string PlannerGroup = "EntraSync";

    public const string TenantIdKey = "entrasync.tenant";
    public const string KindKey = "entrasync.kind";
    public const string ModeKey = "entrasync.mode";
    public const string StagedRemovalsKey = "entrasync.staged";
    public const string DecidedByKey = "entrasync.decidedBy";

    public const string ScheduleKind = "schedule";
    public const string SyncNowKind = "now";
    public const string ApproveKind = "approve";

    public static readonly JobKey Planner = new("plan-tenants", PlannerGroup);
    public static readonly TriggerKey PlannerRefresh = new("plan-tenants-every-refresh", PlannerGroup);
    public static readonly TriggerKey PlannerNow = new("plan-tenants-now", PlannerGroup);

    public static JobKey TenantJob(string tenantId) => new(tenantId, TenantJobGroup);

    public static TriggerKey ScheduleTrigger(string tenantId) => new(tenantId, ScheduleTriggerGroup);
}
