using EntraSync;
using EntraSync.EntityFrameworkCore;
using EntraSync.EntityFrameworkCore.ChangeFeed.Internal;
using EntraSync.EntityFrameworkCore.Employees.Internal;
using EntraSync.EntityFrameworkCore.Internal;
using EntraSync.EntityFrameworkCore.State.Internal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the EF Core stores into EntraSync.</summary>
public static class EntityFrameworkCoreStoreBuilderExtensions
{
    /// <summary>
    /// Uses <typeparamref name="TContext"/> for employees (the ready-made <see cref="SyncedEmployee"/> entity) and
    /// sync state. In <c>OnModelCreating</c> call <c>modelBuilder.AddSyncedEmployees()</c> and
    /// <c>modelBuilder.AddEntraSyncState()</c>. Register the context with <c>AddDbContext</c> or
    /// <c>AddDbContextFactory</c>; the stores take a fresh context for every operation.
    /// </summary>
    /// <typeparam name="TContext">Your DbContext.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddEntityFrameworkCoreStore<TContext>(this IEntraSyncBuilder builder)
        where TContext : DbContext
    {
        var mapping = new EmployeeEntityMapping<SyncedEmployee>
        {
            TenantId = e => e.TenantId,
            DirectoryId = e => e.DirectoryId,
            Email = e => e.Email,
            NormalizedEmail = e => e.NormalizedEmail,
            ContentHash = e => e.ContentHash,
            DeactivatedAt = e => e.DeactivatedAt,
            SyncedFields = e => e.Fields,
            SyncedAssignment = e => e.Assignment,
            PhotoETag = e => e.PhotoETag,
            Photo = e => e.Photo,
        };
        return builder.AddStores<TContext, SyncedEmployee>(
            mapping,
            e => e.Version++,
            setters => setters.SetProperty(e => e.Version, e => e.Version + 1));
    }

    /// <summary>
    /// Uses <typeparamref name="TContext"/> for your own employee entity <typeparamref name="TEmployee"/> and for sync
    /// state (call <c>modelBuilder.AddEntraSyncState()</c> in <c>OnModelCreating</c>). The mapping is validated when
    /// the store is first resolved; a missing part throws with the property to set.
    /// </summary>
    /// <typeparam name="TContext">Your DbContext.</typeparam>
    /// <typeparam name="TEmployee">Your employee entity.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Tells the store where sync's data lives on <typeparamref name="TEmployee"/>.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddEntityFrameworkCoreStore<TContext, TEmployee>(this IEntraSyncBuilder builder, Action<EmployeeEntityMapping<TEmployee>> configure)
        where TContext : DbContext
        where TEmployee : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        var mapping = new EmployeeEntityMapping<TEmployee>();
        configure(mapping);
        return builder.AddStores<TContext, TEmployee>(mapping, null, null);
    }

    private static IEntraSyncBuilder AddStores<TContext, TEmployee>(
        this IEntraSyncBuilder builder,
        EmployeeEntityMapping<TEmployee> mapping,
        Action<TEmployee>? touch,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<TEmployee>>? touchSetBased)
        where TContext : DbContext
        where TEmployee : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<DbContextSource<TContext>>();
        services.Replace(ServiceDescriptor.Singleton<IEmployeeStore>(sp => new EntityFrameworkEmployeeStore<TContext, TEmployee>(
            sp.GetRequiredService<DbContextSource<TContext>>(),
            new EmployeeModel<TEmployee>(mapping),
            sp.GetService<ILoggerFactory>(),
            touch,
            touchSetBased,
            writeChangeFeed: sp.GetService<IEmployeeChangeFeed>() is EntityFrameworkChangeFeed<TContext>,
            trackedWritesOnly: sp.GetService<TrackedEmployeeWrites>() is not null)));
        services.Replace(ServiceDescriptor.Singleton<ISyncStateStore, EntityFrameworkSyncStateStore<TContext>>());
        return builder;
    }
}
