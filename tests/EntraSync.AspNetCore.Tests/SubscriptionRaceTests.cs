using System.Runtime.CompilerServices;
using EntraSync.ChangeNotifications;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.AspNetCore.Tests;

/// <summary>Subscription work that overlaps: two checks at once, and Graph notifying before the new id is stored.</summary>
public sealed class SubscriptionRaceTests
{
    [Fact]
    public async Task Two_checks_of_one_tenant_at_once_create_one_subscription()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);

        var both = await Task.WhenAll(
            host.Manager.EnsureAsync(host.Profile.TenantId),
            host.Manager.EnsureAsync(host.Profile.TenantId),
            host.Manager.EnsureAsync(host.Profile.TenantId));

        var held = Assert.Single(emulator.Subscriptions.GetAll());
        Assert.All(both, s => Assert.Equal(held.Id, s?.SubscriptionId));
    }

    [Fact]
    public async Task A_change_notified_before_the_new_subscription_is_stored_still_starts_a_run()
    {
        var store = new SlowToSaveStore();
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, services: s => s.AddSingleton<IChangeSubscriptionStore>(store), renewInBackground: false);

        // Graph has created the subscription; this app has not stored its id yet when Ada's notification comes in.
        var ensuring = host.Manager.EnsureAsync(host.Profile.TenantId);
        await store.Saving.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var ada = emulator.DefaultTenant.AddUser(NewHire.Ada());
        await Eventually.WaitUntilAsync(() => emulator.Subscriptions.Delivered == 1);
        store.Save.SetResult();
        await ensuring;

        await Eventually.WaitUntilAsync(() => host.Employees.FindByDirectoryId(host.Profile.TenantId, ada.Id) is { IsActive: true });
    }

    /// <summary>An in-memory store whose saves wait until the test lets them through.</summary>
    private sealed class SlowToSaveStore : IChangeSubscriptionStore
    {
        private readonly InMemoryChangeSubscriptionStore _inner = new();

        public TaskCompletionSource Saving { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Save { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<ChangeSubscription?> GetAsync(string tenantId, CancellationToken cancellationToken = default) => _inner.GetAsync(tenantId, cancellationToken);

        public ValueTask<ChangeSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken = default) => _inner.FindAsync(subscriptionId, cancellationToken);

        public async IAsyncEnumerable<ChangeSubscription> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var s in _inner.ListAsync(cancellationToken))
            {
                yield return s;
            }
        }

        public async ValueTask SaveAsync(ChangeSubscription subscription, CancellationToken cancellationToken = default)
        {
            Saving.TrySetResult();
            await Save.Task.WaitAsync(cancellationToken);
            await _inner.SaveAsync(subscription, cancellationToken);
        }

        public ValueTask<bool> RemoveAsync(string tenantId, CancellationToken cancellationToken = default) => _inner.RemoveAsync(tenantId, cancellationToken);
    }
}
