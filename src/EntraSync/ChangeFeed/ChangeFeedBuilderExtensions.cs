using EntraSync;
using EntraSync.ChangeFeed;
using EntraSync.ChangeFeed.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the change feed: every committed employee change as an event, delivered to your handlers.</summary>
public static class ChangeFeedBuilderExtensions
{
    /// <summary>
    /// Adds the change feed and its hosted delivery loop. Without a store that writes its own outbox (for EF Core:
    /// <c>AddEntityFrameworkCoreChangeFeed()</c>) the events are kept in memory. Options are validated at start-up;
    /// calling this twice is harmless.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures delivery and retention, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddChangeFeed(this IEntraSyncBuilder builder, Action<ChangeFeedOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<ChangeFeedOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChangeFeedOptions>, ChangeFeedOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEmployeeChangeFeed, InMemoryEmployeeChangeFeed>();
        services.TryAddSingleton<ChangeFeedDelivery>();
        services.TryAddSingleton<IEmployeeChangeDelivery>(sp => sp.GetRequiredService<ChangeFeedDelivery>());
        services.TryAddSingleton<ChangeFeedPublisher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChangeFeedDeliveryService>());
        return builder;
    }

    /// <summary>Adds the change feed with options bound from a configuration section (for example <c>EntraSync:ChangeFeed</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The section holding <see cref="ChangeFeedOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddChangeFeed(this IEntraSyncBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddChangeFeed();
        builder.Services.AddOptions<ChangeFeedOptions>().Bind(configuration);
        return builder;
    }

    /// <summary>
    /// Adds <typeparamref name="THandler"/> (a singleton) to the handlers the change feed delivers every committed
    /// employee change to, and the change feed itself with default options when it is not added yet.
    /// </summary>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddEmployeeChangeHandler<THandler>(this IEntraSyncBuilder builder)
        where THandler : class, IEmployeeChangeHandler
    {
        builder.AddChangeFeed();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEmployeeChangeHandler, THandler>());
        return builder;
    }
}
