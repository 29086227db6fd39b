namespace EntraSync;

/// <summary>
/// Keeps each tenant's change-notification subscription (<see cref="ChangeSubscription"/>), its secret client state
/// included, so every app instance behind the notification URL can check a notification and renewal survives restarts.
/// At most one subscription is kept per tenant.
/// </summary>
public interface IChangeSubscriptionStore
{
    /// <summary>Gets a tenant's subscription.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The subscription, or <see langword="null"/> when the tenant has none.</returns>
    ValueTask<ChangeSubscription?> GetAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Finds a subscription by Graph's subscription id (a notification names only that).</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The subscription, or <see langword="null"/> when none has that id.</returns>
    ValueTask<ChangeSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Streams every stored subscription (for renewal and for removing those of tenants that are gone).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The subscriptions.</returns>
    IAsyncEnumerable<ChangeSubscription> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves a tenant's subscription, replacing the one it had.</summary>
    /// <param name="subscription">The subscription.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when saved.</returns>
    ValueTask SaveAsync(ChangeSubscription subscription, CancellationToken cancellationToken = default);

    /// <summary>Removes a tenant's subscription.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the tenant had one.</returns>
    ValueTask<bool> RemoveAsync(string tenantId, CancellationToken cancellationToken = default);
}
