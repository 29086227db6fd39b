using EntraSync;
using EntraSync.EntityFrameworkCore.ChangeFeed.Internal;
using EntraSync.EntityFrameworkCore.Internal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the change feed in an outbox in your DbContext.</summary>
public static class EntityFrameworkCoreChangeFeedBuilderExtensions
{
    /// <summary>
    /// Keeps the change feed in <typeparamref name="TContext"/>'s outbox tables (call
    /// <c>modelBuilder.AddEntraSyncChangeFeed()</c> in <c>OnModelCreating</c> and add a migration): the EF Core employee
    /// store writes each batch's events in the batch's transaction, so an event is never lost between the commit and
    /// its delivery. Add the delivery with <c>AddChangeFeed()</c> or <c>AddEmployeeChangeHandler&lt;T&gt;()</c>.
    /// </summary>
    /// <typeparam name="TContext">Your DbContext (the one the EF Core store uses).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddEntityFrameworkCoreChangeFeed<TContext>(this IEntraSyncBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<DbContextSource<TContext>>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IEmployeeChangeFeed, EntityFrameworkChangeFeed<TContext>>());
        return builder;
    }
}
