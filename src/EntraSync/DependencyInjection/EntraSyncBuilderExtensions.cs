using EntraSync;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the host's parts into EntraSync. Each call replaces the default for that part.</summary>
public static class EntraSyncBuilderExtensions
{
    /// <summary>Uses <typeparamref name="TStore"/> as the employee store (a singleton, also resolvable as <typeparamref name="TStore"/>).</summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddEmployeeStore<TStore>(this IEntraSyncBuilder builder)
        where TStore : class, IEmployeeStore => builder.ReplaceStore<IEmployeeStore, TStore>();

    /// <summary>
    /// Uses <typeparamref name="TStore"/> as the sync state store (a singleton, also resolvable as
    /// <typeparamref name="TStore"/>, so an employee store can take it to fence its writes with the run lease).
    /// </summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddSyncStateStore<TStore>(this IEntraSyncBuilder builder)
        where TStore : class, ISyncStateStore => builder.ReplaceStore<ISyncStateStore, TStore>();

    /// <summary>Uses <typeparamref name="TSource"/> as the directory source instead of Microsoft Graph.</summary>
    /// <typeparam name="TSource">The source.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddDirectorySource<TSource>(this IEntraSyncBuilder builder)
        where TSource : class, IDirectorySource => builder.Replace<IDirectorySource, TSource>();

    /// <summary>Uses <typeparamref name="TMapper"/> as the field mapper.</summary>
    /// <typeparam name="TMapper">The mapper.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddFieldMapper<TMapper>(this IEntraSyncBuilder builder)
        where TMapper : class, IFieldMapper => builder.Replace<IFieldMapper, TMapper>();

    /// <summary>Uses <typeparamref name="TFilter"/> as the user filter.</summary>
    /// <typeparam name="TFilter">The filter.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddUserFilter<TFilter>(this IEntraSyncBuilder builder)
        where TFilter : class, IUserFilter => builder.Replace<IUserFilter, TFilter>();

    /// <summary>Uses <typeparamref name="TMatcher"/> as the unit and user-type matcher.</summary>
    /// <typeparam name="TMatcher">The matcher.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddAssignmentMatcher<TMatcher>(this IEntraSyncBuilder builder)
        where TMatcher : class, IAssignmentMatcher => builder.Replace<IAssignmentMatcher, TMatcher>();

    /// <summary>Uses <typeparamref name="TCatalog"/> as the catalog of the host's units and user types.</summary>
    /// <typeparam name="TCatalog">The catalog.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddAssignmentCatalog<TCatalog>(this IEntraSyncBuilder builder)
        where TCatalog : class, IAssignmentCatalog => builder.Replace<IAssignmentCatalog, TCatalog>();

    /// <summary>Uses <typeparamref name="TPolicy"/> as the retention policy.</summary>
    /// <typeparam name="TPolicy">The policy.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddRetentionPolicy<TPolicy>(this IEntraSyncBuilder builder)
        where TPolicy : class, IRetentionPolicy => builder.Replace<IRetentionPolicy, TPolicy>();

    /// <summary>Uses <typeparamref name="TProvider"/> to supply tenants' profiles (multi-tenant hosts read them from their database).</summary>
    /// <typeparam name="TProvider">The provider.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddProfileProvider<TProvider>(this IEntraSyncBuilder builder)
        where TProvider : class, ISyncProfileProvider => builder.Replace<ISyncProfileProvider, TProvider>();

    private static IEntraSyncBuilder ReplaceStore<TService, TImplementation>(this IEntraSyncBuilder builder)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TImplementation>();
        builder.Services.Replace(ServiceDescriptor.Singleton<TService>(sp => sp.GetRequiredService<TImplementation>()));
        return builder;
    }

    private static IEntraSyncBuilder Replace<TService, TImplementation>(this IEntraSyncBuilder builder)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<TService, TImplementation>());
        return builder;
    }
}
