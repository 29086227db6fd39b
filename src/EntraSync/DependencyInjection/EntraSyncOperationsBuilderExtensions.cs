using EntraSync;
using EntraSync.Scheduling.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds EntraSync's hosted scheduler and configures its telemetry.</summary>
public static class EntraSyncOperationsBuilderExtensions
{
    /// <summary>
    /// Adds the hosted scheduler (an <see cref="IHostedService"/>) that syncs every enabled tenant on its profile's
    /// schedule. Hosts that only trigger runs by hand leave it out. Options are validated at start-up; calling this
    /// twice is harmless.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the scheduler, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddScheduler(this IEntraSyncBuilder builder, Action<EntraSyncSchedulerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<EntraSyncSchedulerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EntraSyncSchedulerOptions>, EntraSyncSchedulerOptionsValidator>());
        services.TryAddSingleton<SyncScheduler>();
        services.TryAddSingleton<IEntraSyncScheduler>(sp => sp.GetRequiredService<SyncScheduler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SyncScheduler>(sp => sp.GetRequiredService<SyncScheduler>()));
        return builder;
    }

    /// <summary>Adds the hosted scheduler with options bound from a configuration section (for example <c>EntraSync:Scheduler</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The section holding <see cref="EntraSyncSchedulerOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddScheduler(this IEntraSyncBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddScheduler();
        builder.Services.AddOptions<EntraSyncSchedulerOptions>().Bind(configuration);
        return builder;
    }

    /// <summary>Configures what EntraSync's metrics carry (for example the tenant tag).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder ConfigureTelemetry(this IEntraSyncBuilder builder, Action<EntraSyncTelemetryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
