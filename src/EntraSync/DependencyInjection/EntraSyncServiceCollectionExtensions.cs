using EntraSync;
using EntraSync.Connectivity;
using EntraSync.Graph;
using EntraSync.Filtering;
using EntraSync.Mapping;
using EntraSync.Matching;
using EntraSync.Profiles;
using EntraSync.Profiles.Internal;
using EntraSync.Retention;
using EntraSync.Scheduling.Internal;
using EntraSync.Sync;
using EntraSync.Telemetry.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EntraSync.</summary>
public static class EntraSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds EntraSync: the sync engine (<see cref="IEntraUserSync"/>) and the default field mapper, user filter,
    /// assignment matcher and retention policy. Plug in your store on the builder returned.
    /// Options are validated at start-up; calling this twice is harmless.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to plug in the store and components.</returns>
    public static IEntraSyncBuilder AddEntraUserSync(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EntraSyncOptions>().ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EntraSyncOptions>, EntraSyncOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFieldMapper, FieldMapper>();
        services.TryAddSingleton<IUserFilter, UserFilter>();
        services.TryAddSingleton<IAssignmentMatcher, AssignmentMatcher>();
        services.TryAddSingleton<IRetentionPolicy, RetentionPolicy>();
        services.TryAddSingleton<ISyncProfileProvider, OptionsSyncProfileProvider>();
        services.TryAddSingleton<SyncTelemetry>();
        services.TryAddSingleton<TenantStateChanges>();
        services.TryAddSingleton<IScheduledSync, ScheduledSync>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EntraSyncSchedulerOptions>, EntraSyncSchedulerOptionsValidator>());
        services.TryAddSingleton<IEntraUserSync, SyncRunner>();
        services.TryAddSingleton<EntraSync.Preview.ISyncPreview, EntraSync.Preview.SyncPreview>();
        services.AddOptions<GraphSourceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphSourceOptions>, EntraSync.Graph.Internal.GraphSourceOptionsValidator>());
        // One set of Graph clients for the source and the connectivity check: "Check connectivity" tests the very
        // credentials, token cache and HTTP pipeline the sync uses. The container owns and disposes them.
        services.TryAddSingleton(sp => new EntraSync.Graph.Internal.GraphClientProvider(
            sp.GetRequiredService<IOptions<GraphSourceOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            (ILogger?)sp.GetService<ILogger<GraphDirectorySource>>() ?? NullLogger.Instance));
        services.TryAddSingleton<IDirectorySource>(sp => new GraphDirectorySource(
            sp.GetRequiredService<EntraSync.Graph.Internal.GraphClientProvider>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<GraphDirectorySource>>()));
        services.TryAddSingleton<IDirectoryConnectivityChecker>(sp => new DirectoryConnectivityChecker(
            sp.GetRequiredService<EntraSync.Graph.Internal.GraphClientProvider>(), sp.GetService<ILogger<DirectoryConnectivityChecker>>()));
        return new EntraSyncBuilder(services);
    }

    /// <summary>Adds EntraSync with options configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options (tenant profiles).</param>
    /// <returns>A builder to plug in the store and components.</returns>
    public static IEntraSyncBuilder AddEntraUserSync(this IServiceCollection services, Action<EntraSyncOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddEntraUserSync();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Adds EntraSync with options bound from a configuration section (for example <c>Configuration.GetSection("EntraSync")</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <see cref="EntraSyncOptions"/>.</param>
    /// <returns>A builder to plug in the store and components.</returns>
    public static IEntraSyncBuilder AddEntraUserSync(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddEntraUserSync();
        services.AddOptions<EntraSyncOptions>().Configure(options => SyncProfileConfiguration.Bind(configuration, options));
        services.AddOptions<EntraSyncTelemetryOptions>().Bind(configuration.GetSection("Telemetry"));
        services.AddSingleton<IOptionsChangeTokenSource<EntraSyncOptions>>(new ConfigurationChangeTokenSource<EntraSyncOptions>(configuration));
        return builder;
    }

    private sealed class EntraSyncBuilder(IServiceCollection services) : IEntraSyncBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
