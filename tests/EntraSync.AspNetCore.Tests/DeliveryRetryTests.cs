using EntraSync.ChangeNotifications;
using EntraSync.Testing.Emulator;
using EntraSync.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.AspNetCore.Tests;

/// <summary>Graph retries a notification the host did not take; the emulator does the same.</summary>
public sealed class DeliveryRetryTests
{
    [Fact]
    public async Task A_change_made_while_the_host_is_down_reaches_it_when_it_is_back()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2 });
        emulator.Subscriptions.DeliveryRetryDelay = TimeSpan.FromMilliseconds(200);
        var subscriptions = new InMemoryChangeSubscriptionStore();
        var port = LoopbackPort.Free();
        void SharedStore(IServiceCollection s) => s.AddSingleton<IChangeSubscriptionStore>(subscriptions);

        await using (var before = await NotificationHost.StartAsync(emulator, services: SharedStore, port: port))
        {
            // Graph has the subscription and the host has stored it: stopping between the two would leave Graph
            // notifying a subscription the host never saved, which it rightly drops.
            await Eventually.WaitUntilAsync(() => emulator.Subscriptions.GetAll() is [var created]
                && subscriptions.FindAsync(created.Id).AsTask().GetAwaiter().GetResult() is not null);
        }

        // The host is down (a deploy): the notification for Ada fails to connect and is retried.
        var ada = emulator.DefaultTenant.AddUser(NewHire.Ada());
        await Eventually.WaitUntilAsync(() => emulator.Subscriptions.Failed >= 2);
        Assert.Equal(0, emulator.Subscriptions.Delivered);

        // Back on the same URL with the same subscriptions and no scheduler: only the retried notification can start a run.
        await using var after = await NotificationHost.StartAsync(emulator, services: SharedStore, renewInBackground: false, port: port);
        var subs = emulator.Subscriptions;
        await Eventually.WaitUntilAsync(
            () => after.Employees.FindByDirectoryId(after.Profile.TenantId, ada.Id) is { IsActive: true },
            state: () => $"delivered {subs.Delivered}, failed {subs.Failed}, dropped {subs.Dropped}, posts {subs.Posts}; the host logged:{Environment.NewLine}{after.Log}");

        Assert.Equal(1, emulator.Subscriptions.Delivered);
        Assert.Equal(0, emulator.Subscriptions.Dropped);
    }
}
