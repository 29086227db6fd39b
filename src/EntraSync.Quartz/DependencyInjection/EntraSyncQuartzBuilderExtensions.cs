using EntraSync;
using EntraSync.Quartz;
using EntraSync.Quartz.Health.Internal;
using EntraSync.Quartz.Scheduling.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs EntraSync's tenants as Quartz.NET jobs instead of on the built-in scheduler.</summary>
public static class EntraSyncQuartzBuilderExtensions
{
    /// <summary>
    /// Schedules every enabled tenant as a Quartz job (one per tenant, group <c>EntraSync.Tenants</c>) on its
    /// profile's schedule, with the built-in scheduler's rules (jitter, the daily full read, quarantine and back-off),
    /// re-planned every <see cref="EntraSyncSchedulerOptions.ProfileRefreshInterval"/> and when
    /// <see cref="IEntraSyncScheduler.NotifyProfilesChanged"/> is called. Also registers <see cref="IQuartzSyncTriggers"/>.
    /// </summary>
    /// <remarks>
    /// Quartz itself is the host's to configure: call <c>services.AddQuartz(...)</c> (for a fleet, a persistent store
    /// with clustering) and <c>services.AddQuartzHostedService()</c>. <see cref="EntraSyncSchedulerOptions.MaxConcurrentRuns"/>
    /// does not apply: Quartz's thread pool bounds the runs per node. Do not also call <c>AddScheduler</c>.
    /// EntraSync decides whether a slot is due by the container's <see cref="TimeProvider"/> and Quartz fires it by its
    /// own, which for the default scheduler is the same one (<c>q.UseTimeProvider</c> replaces it for both); see
    /// docs/quartz.md, "Settings for a fleet".
    /// </remarks>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the schedule rules, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddQuartzScheduling(this IEntraSyncBuilder builder, Action<EntraSyncSchedulerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<EntraSyncSchedulerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TenantPlanner>();
        services.TryAddTransient<PlanTenantsJob>();
        services.TryAddTransient<TenantSyncJob>();
        services.TryAddSingleton<QuartzSyncScheduler>();
        services.TryAddSingleton<IQuartzSyncTriggers>(sp => sp.GetRequiredService<QuartzSyncScheduler>());
        services.Replace(ServiceDescriptor.Singleton<IEntraSyncScheduler>(sp => sp.GetRequiredService<QuartzSyncScheduler>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PlannerRegistration>());
        return builder;
    }

    /// <summary>Schedules tenants on Quartz with the rules bound from a configuration section (for example <c>EntraSync:Scheduler</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The section holding <see cref="EntraSyncSchedulerOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddQuartzScheduling(this IEntraSyncBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddQuartzScheduling();
        builder.Services.AddOptions<EntraSyncSchedulerOptions>().Bind(configuration);
        return builder;
    }

    /// <summary>
    /// Adds a health check of EntraSync's Quartz scheduler on this node: unhealthy when it is shut down or its job
    /// store cannot be read, degraded while it is in standby or not started, healthy with the tenants it plans, whether
    /// it is clustered, its instance id and how many jobs it runs now. Pair it with Quartz's own check
    /// (<c>AddQuartz()</c> on the health checks builder) for cluster check-ins and stale firings.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status when the scheduler cannot run tenants, or <see langword="null"/> for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    /// <returns>The health checks builder.</returns>
    public static IHealthChecksBuilder AddEntraSyncQuartz(
        this IHealthChecksBuilder builder,
        string name = "entrasync-quartz",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => ActivatorUtilities.CreateInstance<EntraSyncQuartzHealthCheck>(sp),
            failureStatus,
            tags));
    }
}
