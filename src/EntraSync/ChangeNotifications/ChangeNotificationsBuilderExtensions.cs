using EntraSync;
using EntraSync.ChangeNotifications;
using EntraSync.ChangeNotifications.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Turns on Microsoft Graph change notifications (see <see cref="ChangeNotificationOptions"/>).</summary>
public static class ChangeNotificationsBuilderExtensions
{
    /// <summary>
    /// Adds the subscription lifecycle: <see cref="ChangeSubscriptionManager"/> and a background service that creates,
    /// renews and deletes each tenant's subscription every <see cref="ChangeNotificationOptions.CheckInterval"/>.
    /// Subscriptions are kept in an <see cref="IChangeSubscriptionStore"/>: <see cref="InMemoryChangeSubscriptionStore"/>
    /// unless another is registered. Nothing is sent to Graph unless <see cref="ChangeNotificationOptions.Enabled"/>.
    /// Map the endpoint Graph posts to with EntraSync.AspNetCore's <c>MapEntraSyncNotifications</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddChangeNotifications(this IEntraSyncBuilder builder, Action<ChangeNotificationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<ChangeNotificationOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChangeNotificationOptions>, ChangeNotificationOptionsValidator>());
        services.TryAddSingleton<IChangeSubscriptionStore, InMemoryChangeSubscriptionStore>();
        services.TryAddSingleton<ChangeSubscriptionManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChangeSubscriptionRenewalService>());
        return builder;
    }

    /// <summary>Adds change notifications with options bound from a configuration section (the <c>ChangeNotifications</c> section).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The section holding <see cref="ChangeNotificationOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddChangeNotifications(this IEntraSyncBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddChangeNotifications();
        builder.Services.AddOptions<ChangeNotificationOptions>().Bind(configuration);
        return builder;
    }
}
