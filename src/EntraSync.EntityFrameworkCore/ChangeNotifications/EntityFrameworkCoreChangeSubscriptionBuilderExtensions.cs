using EntraSync;
using EntraSync.EntityFrameworkCore.ChangeNotifications.Internal;
using EntraSync.EntityFrameworkCore.Internal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps change-notification subscriptions in EF Core.</summary>
public static class EntityFrameworkCoreChangeSubscriptionBuilderExtensions
{
    /// <summary>
    /// Keeps each tenant's change-notification subscription (its client state included) in <typeparamref name="TContext"/>,
    /// so every app instance behind the notification URL checks notifications against the same secrets and renewal
    /// survives restarts. In <c>OnModelCreating</c> call <c>modelBuilder.AddEntraSyncChangeSubscriptions()</c>.
    /// </summary>
    /// <typeparam name="TContext">Your DbContext.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddEntityFrameworkCoreChangeSubscriptionStore<TContext>(this IEntraSyncBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<DbContextSource<TContext>>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IChangeSubscriptionStore, EntityFrameworkChangeSubscriptionStore<TContext>>());
        return builder;
    }
}
