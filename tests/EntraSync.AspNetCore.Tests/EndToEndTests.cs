using EntraSync.Testing.Emulator;

namespace EntraSync.AspNetCore.Tests;

/// <summary>On loopback: a change in the emulator reaches the store through a notification, with no polling run.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task A_user_created_changed_and_deleted_in_Entra_appears_changes_and_is_deactivated_in_the_store()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        await using var host = await NotificationHost.StartAsync(emulator);
        var tenant = host.Profile.TenantId;
        await host.Sync.SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });
        await Eventually.WaitUntilAsync(() => emulator.Subscriptions.GetAll().Count == 1);
        var runsBefore = (await host.Sync.GetRunsAsync(tenant)).Count;

        var ada = emulator.DefaultTenant.AddUser(NewHire.Ada());
        await Eventually.WaitUntilAsync(() => host.Employees.FindByDirectoryId(tenant, ada.Id) is { IsActive: true });

        emulator.DefaultTenant.UpdateUser(ada.Id, u => u.JobTitle = "Analyst");
        await Eventually.WaitUntilAsync(() => host.Employees.FindByDirectoryId(tenant, ada.Id)?[FieldNames.JobTitle] == "Analyst");

        emulator.DefaultTenant.DeleteUser(ada.Id);
        await Eventually.WaitUntilAsync(() => host.Employees.FindByDirectoryId(tenant, ada.Id) is { IsActive: false });

        // Every run after the first was an incremental one started by a notification (no scheduler is registered).
        var runs = await host.Sync.GetRunsAsync(tenant);
        Assert.All(runs.Take(runs.Count - runsBefore), r => Assert.Equal(SyncMode.Incremental, r.Mode));
        Assert.True(emulator.Subscriptions.Delivered >= 3);
    }
}
