using EntraSync.ChangeNotifications;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.AspNetCore.Tests;

/// <summary>Creating, renewing, re-creating and deleting subscriptions against the emulator, on a fake clock.</summary>
public sealed class SubscriptionLifecycleTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(41_760);

    [Fact]
    public async Task A_new_subscription_watches_users_and_carries_a_random_client_state_kept_in_the_store()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2, TimeProvider = time });
        await using var host = await NotificationHost.StartAsync(emulator, services: s => s.AddSingleton<TimeProvider>(time), renewInBackground: false);

        var created = await host.Manager.EnsureAsync(host.Profile.TenantId);

        var held = Assert.Single(emulator.Subscriptions.GetAll());
        Assert.NotNull(created);
        Assert.Equal(held.Id, created.SubscriptionId);
        Assert.Equal("/users", held.Resource);
        Assert.Equal("updated,deleted", held.ChangeType);
        Assert.Equal(host.NotificationUrl, held.NotificationUrl);
        Assert.Equal(host.NotificationUrl + "/lifecycle", held.LifecycleNotificationUrl);
        Assert.Equal(time.GetUtcNow() + Lifetime, held.ExpirationDateTime);
        Assert.Equal(held.ClientState, created.ClientState);
        Assert.InRange(created.ClientState.Length, 32, 128);
        Assert.Equal(created.SubscriptionId, (await host.Store.GetAsync(host.Profile.TenantId))?.SubscriptionId);

        var recreated = await host.Manager.RecreateAsync(host.Profile.TenantId);

        Assert.NotNull(recreated);
        Assert.NotEqual(created.ClientState, recreated.ClientState);
        Assert.Equal(recreated.SubscriptionId, Assert.Single(emulator.Subscriptions.GetAll()).Id);
    }

    [Fact]
    public async Task A_subscription_is_renewed_before_it_expires_and_created_again_once_it_expired()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2, TimeProvider = time });
        await using var host = await NotificationHost.StartAsync(emulator, services: s => s.AddSingleton<TimeProvider>(time), renewInBackground: false);
        var tenant = host.Profile.TenantId;
        var first = (await host.Manager.EnsureAsync(tenant))!;

        time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(first.ExpiresAt, (await host.Manager.EnsureAsync(tenant))!.ExpiresAt);

        time.Advance(Lifetime - TimeSpan.FromDays(10) - TimeSpan.FromDays(1));
        var renewed = (await host.Manager.EnsureAsync(tenant))!;
        Assert.Equal(first.SubscriptionId, renewed.SubscriptionId);
        Assert.Equal(time.GetUtcNow() + Lifetime, renewed.ExpiresAt);
        Assert.Equal(renewed.ExpiresAt, Assert.Single(emulator.Subscriptions.GetAll()).ExpirationDateTime);
        Assert.Contains(emulator.Requests, r => r.Method == "PATCH" && r.PathAndQuery == "/v1.0/subscriptions/" + first.SubscriptionId);

        time.Advance(Lifetime + TimeSpan.FromMinutes(1));
        Assert.Empty(emulator.Subscriptions.GetAll());
        var again = (await host.Manager.EnsureAsync(tenant))!;
        Assert.NotEqual(first.SubscriptionId, again.SubscriptionId);
        Assert.Equal(again.SubscriptionId, Assert.Single(emulator.Subscriptions.GetAll()).Id);
    }

    [Fact]
    public async Task A_subscription_Graph_no_longer_has_is_created_again_when_renewing_finds_it_gone()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        var first = (await host.Manager.EnsureAsync(host.Profile.TenantId))!;
        emulator.Subscriptions.Remove(first.SubscriptionId);

        var renewed = (await host.Manager.RenewAsync(host.Profile.TenantId))!;

        Assert.NotEqual(first.SubscriptionId, renewed.SubscriptionId);
        Assert.Equal(renewed.SubscriptionId, Assert.Single(emulator.Subscriptions.GetAll()).Id);
        Assert.Equal(renewed.SubscriptionId, (await host.Store.GetAsync(host.Profile.TenantId))?.SubscriptionId);
    }

    [Fact]
    public async Task A_tenant_left_out_gets_no_subscription_and_one_taken_out_loses_the_one_it_had()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        var tenant = host.Profile.TenantId;
        Assert.NotNull(await host.Manager.EnsureAsync(tenant));

        host.Services.GetRequiredService<IOptionsMonitor<ChangeNotificationOptions>>().CurrentValue.Tenants.Add("another-tenant");
        var after = await host.Manager.EnsureAsync(tenant);

        Assert.Null(after);
        Assert.Empty(emulator.Subscriptions.GetAll());
        Assert.Null(await host.Store.GetAsync(tenant));
        Assert.Contains(emulator.Requests, r => r.Method == "DELETE" && r.PathAndQuery.StartsWith("/v1.0/subscriptions/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_notifications_turned_off_nothing_but_GETs_reach_Graph()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2 });
        await using var host = await NotificationHost.StartAsync(emulator, o => o.Enabled = false, renewInBackground: false);

        await host.Manager.EnsureAllAsync();
        await host.Sync.SyncAsync(host.Profile.TenantId);

        Assert.Empty(emulator.Subscriptions.GetAll());
        Assert.All(emulator.Requests.Where(r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal)), r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task An_endpoint_that_fails_the_validation_request_gets_no_subscription_and_the_error_says_why()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        host.Services.GetRequiredService<IOptionsMonitor<ChangeNotificationOptions>>().CurrentValue.NotificationUrl = host.BaseUrl + "/not-mapped";

        var error = await Assert.ThrowsAsync<DirectoryException>(() => host.Manager.EnsureAsync(host.Profile.TenantId));

        Assert.Contains("validation", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(emulator.Subscriptions.GetAll());
        Assert.Null(await host.Store.GetAsync(host.Profile.TenantId));
    }
}
