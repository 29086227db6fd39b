using EntraSync.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the in-memory stores into EntraSync.</summary>
public static class InMemoryStoresBuilderExtensions
{
    /// <summary>
    /// Uses <see cref="InMemoryEmployeeStore"/> and <see cref="InMemorySyncStateStore"/> (singletons, also resolvable
    /// by their own type). For tests and demos: everything is lost when the process stops. Employee writes are fenced
    /// by the state store's run leases, which expire by the registered <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddInMemoryStores(this IEntraSyncBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The employee store is fenced by the state store's run leases; leases expire by the host's TimeProvider.
        builder.Services.TryAddSingleton(sp => new InMemorySyncStateStore(sp.GetService<TimeProvider>()));
        builder.Services.TryAddSingleton(sp => new InMemoryEmployeeStore(sp.GetRequiredService<InMemorySyncStateStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<EntraSync.IEmployeeStore>(sp => sp.GetRequiredService<InMemoryEmployeeStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<EntraSync.ISyncStateStore>(sp => sp.GetRequiredService<InMemorySyncStateStore>()));
        return builder;
    }
}
