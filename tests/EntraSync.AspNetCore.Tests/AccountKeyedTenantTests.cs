using EntraSync.Testing.Emulator;

namespace EntraSync.AspNetCore.Tests;

/// <summary>
/// A host that keys tenants by its own account ids (the samples' "contoso"): Graph's notifications carry the Entra
/// directory's tenant id, which is the profile's <c>Connection:TenantId</c>, not EntraSync's tenant key.
/// </summary>
public sealed class AccountKeyedTenantTests
{
    [Fact]
    public async Task A_change_reaches_a_tenant_keyed_by_the_hosts_account_id_and_the_run_says_a_notification_started_it()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        await using var host = await NotificationHost.StartAsync(emulator, tenantKey: "contoso-account");
        var account = host.Profile.TenantId;
        Assert.NotEqual(emulator.DefaultTenant.Id, account);
        await host.Sync.SyncAsync(account, new SyncRunOptions { Mode = SyncMode.Full });
        await Eventually.WaitUntilAsync(() => emulator.Subscriptions.GetAll().Count == 1);
        var user = emulator.DefaultTenant.GetUsers()[0];

        emulator.DefaultTenant.UpdateUser(user.Id, u => u.JobTitle = "Analyst");

        await Eventually.WaitUntilAsync(() => host.Employees.FindByDirectoryId(account, user.Id)?[FieldNames.JobTitle] == "Analyst");
        // The run is recorded just after its changes are written.
        await Eventually.WaitUntilAsync(() => host.Sync.GetRunsAsync(account).GetAwaiter().GetResult().Count >= 2);
        var runs = await host.Sync.GetRunsAsync(account);
        Assert.Equal(SyncTrigger.ChangeNotification, runs[0].Trigger);
        Assert.Equal(SyncTrigger.Manual, runs[^1].Trigger);
    }

    [Fact]
    public async Task A_notification_naming_another_directory_is_still_dropped_as_forged()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false, tenantKey: "contoso-account");
        using var received = NotificationEndpointTests.Collector(host);
        var subscription = (await host.Manager.EnsureAsync(host.Profile.TenantId))!;

        using var response = await NotificationEndpointTests.PostAsync(host.NotificationUrl, NotificationEndpointTests.Notification(subscription.SubscriptionId, subscription.ClientState, Guid.NewGuid().ToString()));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.WaitUntilAsync(() => NotificationEndpointTests.Count(received, "forged") == 1);
        Assert.Equal(0, NotificationEndpointTests.Count(received, "accepted"));
        Assert.Empty(await host.Sync.GetRunsAsync(host.Profile.TenantId));
    }
}
