using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EntraSync.ChangeNotifications;

/// <summary>
/// An <see cref="IChangeSubscriptionStore"/> in process memory: the default when no other is registered. Enough for
/// one app instance; with several behind the notification URL, or to keep subscriptions across restarts, use a shared
/// store (EntraSync.EntityFrameworkCore has one). After a restart it is empty and subscriptions are created again.
/// </summary>
public sealed class InMemoryChangeSubscriptionStore : IChangeSubscriptionStore
{
    private readonly ConcurrentDictionary<string, ChangeSubscription> _byTenant = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ValueTask<ChangeSubscription?> GetAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_byTenant.GetValueOrDefault(tenantId));

    /// <inheritdoc />
    public ValueTask<ChangeSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_byTenant.Values.FirstOrDefault(s => string.Equals(s.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase)));

    /// <inheritdoc />
    public async IAsyncEnumerable<ChangeSubscription> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var subscription in _byTenant.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return subscription;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(ChangeSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        _byTenant[subscription.TenantId] = subscription;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_byTenant.TryRemove(tenantId, out _));
}
