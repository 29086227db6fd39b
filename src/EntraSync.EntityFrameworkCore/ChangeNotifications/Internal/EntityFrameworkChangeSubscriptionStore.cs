using System.Runtime.CompilerServices;
using EntraSync.EntityFrameworkCore.Internal;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.ChangeNotifications.Internal;

/// <summary>The EF Core <see cref="IChangeSubscriptionStore"/>: table <c>EntraSyncChangeSubscriptions</c>, one row per tenant.</summary>
internal sealed class EntityFrameworkChangeSubscriptionStore<TContext>(DbContextSource<TContext> contexts) : IChangeSubscriptionStore
    where TContext : DbContext
{
    public async ValueTask<ChangeSubscription?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var row = await lease.Context.Set<ChangeSubscriptionEntry>().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToModel(row);
    }

    public async ValueTask<ChangeSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var row = await lease.Context.Set<ChangeSubscriptionEntry>().AsNoTracking().FirstOrDefaultAsync(s => s.SubscriptionId == subscriptionId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToModel(row);
    }

    public async IAsyncEnumerable<ChangeSubscription> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in lease.Context.Set<ChangeSubscriptionEntry>().AsNoTracking().OrderBy(s => s.TenantId).AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return ToModel(row);
        }
    }

    public async ValueTask SaveAsync(ChangeSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var set = lease.Context.Set<ChangeSubscriptionEntry>();
        var row = await set.FirstOrDefaultAsync(s => s.TenantId == subscription.TenantId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new ChangeSubscriptionEntry { TenantId = subscription.TenantId };
            set.Add(row);
        }

        row.SubscriptionId = subscription.SubscriptionId;
        row.Resource = subscription.Resource;
        row.ChangeType = subscription.ChangeType;
        row.NotificationUrl = subscription.NotificationUrl;
        row.LifecycleNotificationUrl = subscription.LifecycleNotificationUrl;
        row.ClientState = subscription.ClientState;
        row.ExpiresAt = subscription.ExpiresAt;
        row.RenewedAt = subscription.RenewedAt;
        await lease.Context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RemoveAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        return await lease.Context.Set<ChangeSubscriptionEntry>().Where(s => s.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static ChangeSubscription ToModel(ChangeSubscriptionEntry row) => new()
    {
        TenantId = row.TenantId,
        SubscriptionId = row.SubscriptionId,
        Resource = row.Resource,
        ChangeType = row.ChangeType,
        NotificationUrl = row.NotificationUrl,
        LifecycleNotificationUrl = row.LifecycleNotificationUrl,
        ClientState = row.ClientState,
        ExpiresAt = row.ExpiresAt,
        RenewedAt = row.RenewedAt,
    };
}
