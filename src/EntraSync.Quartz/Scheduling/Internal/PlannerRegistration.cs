using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace EntraSync.Quartz.Scheduling.Internal;

/// <summary>
/// Stores the planner job and its refresh trigger once the host has started (so the Quartz scheduler and its store are
/// ready), and asks for a first pass. Every node does this; the store keeps one planner, and it runs on one node at a time.
/// </summary>
internal sealed partial class PlannerRegistration(
    ISchedulerFactory schedulers,
    QuartzSyncScheduler scheduler,
    IHostApplicationLifetime lifetime,
    IOptionsMonitor<EntraSyncSchedulerOptions> options,
    TimeProvider time,
    ILogger<PlannerRegistration> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.CurrentValue;
        if (!o.Enabled)
        {
            Log.Disabled(logger);
            return;
        }

        // Quartz's hosted service starts the scheduler when the application has started.
        await WhenStartedAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RegisterAsync(o, stoppingToken).ConfigureAwait(false);
                Log.Registered(logger, o.ProfileRefreshInterval);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The job store's database may not be reachable yet; the tenants' own triggers keep firing meanwhile.
                Log.RegistrationFailed(logger, ex, o.PollInterval);
                await Task.Delay(o.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    internal async Task RegisterAsync(EntraSyncSchedulerOptions o, CancellationToken cancellationToken)
    {
        var quartz = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        var job = JobBuilder.Create<PlanTenantsJob>()
            .WithIdentity(QuartzKeys.Planner)
            .WithDescription("EntraSync: keeps one job per tenant in step with the sync profiles")
            .StoreDurably()
            .Build();
        await quartz.AddJob(job, AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        var refresh = TriggerBuilder.Create()
            .WithIdentity(QuartzKeys.PlannerRefresh)
            .ForJob(QuartzKeys.Planner)
            .StartAt(time.GetUtcNow() + o.ProfileRefreshInterval)
            .WithSchedule(SimpleScheduleBuilder.Create()
                .WithInterval(o.ProfileRefreshInterval)
                .RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();

        // A node starting beside running ones leaves the cluster's refresh rhythm alone unless the interval changed.
        if (await quartz.GetTrigger(QuartzKeys.PlannerRefresh, cancellationToken).ConfigureAwait(false) is not ISimpleTrigger current
            || current.RepeatInterval != o.ProfileRefreshInterval)
        {
            await quartz.ScheduleTrigger(refresh, TriggerConflict.Replace, cancellationToken).ConfigureAwait(false);
        }

        await scheduler.PlanNowAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        return started.Task;
    }

    private static partial class Log
    {
        [LoggerMessage(1131, LogLevel.Information, "EntraSync on Quartz: tenants planned every {RefreshInterval} and when profiles change")]
        public static partial void Registered(ILogger logger, TimeSpan refreshInterval);

        [LoggerMessage(1132, LogLevel.Information, "EntraSync on Quartz is disabled (EntraSync:Scheduler:Enabled is false): this node plans nothing")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(1133, LogLevel.Warning, "Storing the EntraSync planner in Quartz failed; trying again in {Delay}")]
        public static partial void RegistrationFailed(ILogger logger, Exception exception, TimeSpan delay);
    }
}
