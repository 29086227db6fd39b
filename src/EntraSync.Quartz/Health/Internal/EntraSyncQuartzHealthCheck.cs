using EntraSync.Quartz.Scheduling.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace EntraSync.Quartz.Health.Internal;

/// <summary>Reports the state of the Quartz scheduler EntraSync's tenants run on, on this node.</summary>
internal sealed class EntraSyncQuartzHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failure = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
            var meta = await scheduler.GetMetadata(cancellationToken).ConfigureAwait(false);
            var data = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["scheduler"] = meta.SchedulerName,
                ["instanceId"] = meta.SchedulerInstanceId,
                ["clustered"] = meta.JobStoreClustered,
                ["persistent"] = meta.JobStorePersistent,
                ["status"] = meta.Status.ToString(),
                ["runningNow"] = meta.LocalExecutingJobs,
                ["threadPoolSize"] = meta.ThreadPoolSize,
            };
            var status = scheduler.Status;
            if (status is SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown)
            {
                return new HealthCheckResult(failure, "The Quartz scheduler is shut down: no tenant syncs on this node.", data: data);
            }

            // Reading the tenants' jobs proves the job store answers.
            var tenants = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(QuartzKeys.TenantJobGroup), cancellationToken).ConfigureAwait(false);
            data["tenants"] = tenants.Count;
            if (status is not SchedulerStatus.Running)
            {
                return HealthCheckResult.Degraded("The Quartz scheduler is not running ({status}): tenants are not synced by this node.", data: data);
            }

            return HealthCheckResult.Healthy($"The Quartz scheduler runs {tenants.Count} tenants' jobs{(meta.JobStoreClustered ? " in a cluster" : "")}.", data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, "The Quartz scheduler or its job store could not be read: " + ex.Message, ex);
        }
    }
}
