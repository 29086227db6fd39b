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
            await Eventually.WaitUntilAsync(() => emulator.Subscriptions.GetAll().Count == 1);
        }

        // The host is down (a deploy): the notification for Ada fails to connect and is retried.
        var ada = emulator.DefaultTenant.AddUser(NewHire.Ada());
        await Eventually.WaitUntilAsync(() => emulator.Subscriptions.Failed >= 2);
        Assert.Equal(0, emulator.Subscriptions.Delivered);

        // Back on the same URL with the same subscriptions and no scheduler: only the retried notification can start a run.
        await using var after = await NotificationHost.StartAsync(emulator, services: SharedStore, renewInBackground: false, port: port);
        await Eventually.WaitUntilAsync(() => after.Employees.FindByDirectoryId(after.Profile.TenantId, ada.Id) is { IsActive: true });

        Assert.Equal(1, emulator.Subscriptions.Delivered);
        Assert.Equal(0, emulator.Subscriptions.Dropped);
    }
}
