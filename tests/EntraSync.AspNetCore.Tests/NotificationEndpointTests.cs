using System.Diagnostics.Metrics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using EntraSync.ChangeNotifications;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace EntraSync.AspNetCore.Tests;

/// <summary>The endpoint as Graph (and an attacker) sees it: handshake, client state, 202 at once, lifecycle events.</summary>
public sealed class NotificationEndpointTests
{
    [Theory]
    [InlineData("")]
    [InlineData("/lifecycle")]
    public async Task The_validation_request_is_answered_with_the_token_as_plain_text(string path)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        using var http = new HttpClient();
        const string token = "Validation: Testing client application reachability for subscription Request-Id: 5b4c <script>";

        using var response = await http.PostAsync(host.NotificationUrl + path + "?validationToken=" + Uri.EscapeDataString(token), new StringContent("", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(token, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_notification_with_a_forged_client_state_is_dropped_counted_and_starts_no_run()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        using var received = Collector(host);
        var subscription = (await host.Manager.EnsureAsync(host.Profile.TenantId))!;

        using var response = await PostAsync(host.NotificationUrl, Notification(subscription.SubscriptionId, "forged-" + subscription.ClientState[7..], subscription.TenantId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.WaitUntilAsync(() => Count(received, "forged") == 1);
        Assert.Equal(0, Count(received, "accepted"));
        Assert.Empty(await host.Sync.GetRunsAsync(host.Profile.TenantId));
    }

    [Fact]
    public async Task Notifications_for_an_unknown_subscription_do_nothing()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        using var received = Collector(host);

        using var response = await PostAsync(host.NotificationUrl, Notification(Guid.NewGuid().ToString(), "whatever", host.Profile.TenantId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.WaitUntilAsync(() => Count(received, "unknown_subscription") == 1);
        Assert.Empty(await host.Sync.GetRunsAsync(host.Profile.TenantId));
    }

    [Fact]
    public async Task A_body_that_is_not_a_notification_collection_is_refused()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);

        using var response = await PostAsync(host.NotificationUrl, "{\"not\":\"graph\"}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_notification_replayed_fifty_times_makes_one_or_a_few_runs_not_fifty()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        using var received = Collector(host);
        var subscription = (await host.Manager.EnsureAsync(host.Profile.TenantId))!;
        var body = Notification(subscription.SubscriptionId, subscription.ClientState, subscription.TenantId);

        for (var i = 0; i < 50; i++)
        {
            using var response = await PostAsync(host.NotificationUrl, body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await Eventually.WaitUntilAsync(() => Count(received, "accepted") == 50);
        await Eventually.WaitUntilAsync(() => host.Employees.GetEmployees(host.Profile.TenantId).Count == 3);

        // A run records itself just after its changes are written: wait for the record, not only the employees.
        await Eventually.WaitUntilAsync(() => host.Sync.GetRunsAsync(host.Profile.TenantId).GetAwaiter().GetResult().Count >= 1);
        var runs = await host.Sync.GetRunsAsync(host.Profile.TenantId);
        Assert.InRange(runs.Count, 1, 3);
    }

    [Fact]
    public async Task The_endpoint_answers_202_while_the_subscription_store_has_not_answered()
    {
        var slow = new GatedStore();
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, services: s => s.AddSingleton<IChangeSubscriptionStore>(slow), renewInBackground: false);

        using var response = await PostAsync(host.NotificationUrl, Notification(Guid.NewGuid().ToString(), "x", host.Profile.TenantId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(slow.Gate.Task.IsCompleted);
        await Eventually.WaitUntilAsync(() => slow.Waiting == 1);
        slow.Gate.SetResult();
    }

    [Fact]
    public async Task ReauthorizationRequired_renews_the_subscription()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        var subscription = (await host.Manager.EnsureAsync(host.Profile.TenantId))!;

        var status = await emulator.Subscriptions.SendLifecycleNotificationAsync(subscription.SubscriptionId, "reauthorizationRequired");

        Assert.Equal(202, status);
        await Eventually.WaitUntilAsync(() => emulator.Requests.Any(r => r.Method == "PATCH" && r.PathAndQuery == "/v1.0/subscriptions/" + subscription.SubscriptionId));
        Assert.Equal(subscription.SubscriptionId, Assert.Single(emulator.Subscriptions.GetAll()).Id);
    }

    [Fact]
    public async Task SubscriptionRemoved_creates_the_subscription_again()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        var subscription = (await host.Manager.EnsureAsync(host.Profile.TenantId))!;

        await emulator.Subscriptions.SendLifecycleNotificationAsync(subscription.SubscriptionId, "subscriptionRemoved");

        // Graph answers the new subscription before the host has stored it: wait for the store, then compare.
        await Eventually.WaitUntilAsync(() => emulator.Subscriptions.GetAll() is [var again] && again.Id != subscription.SubscriptionId
            && host.Store.GetAsync(host.Profile.TenantId).AsTask().GetAwaiter().GetResult()?.SubscriptionId == again.Id);
        var stored = await host.Store.GetAsync(host.Profile.TenantId);
        Assert.Equal(Assert.Single(emulator.Subscriptions.GetAll()).Id, stored?.SubscriptionId);
    }

    [Fact]
    public async Task A_notification_for_a_tenant_whose_notifications_were_turned_off_does_nothing()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        await using var host = await NotificationHost.StartAsync(emulator, renewInBackground: false);
        using var received = Collector(host);
        var subscription = (await host.Manager.EnsureAsync(host.Profile.TenantId))!;
        host.Services.GetRequiredService<IOptionsMonitor<ChangeNotificationOptions>>().CurrentValue.Tenants.Add("another-tenant");

        using var response = await PostAsync(host.NotificationUrl, Notification(subscription.SubscriptionId, subscription.ClientState, subscription.TenantId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.WaitUntilAsync(() => Count(received, "tenant_off") == 1);
        Assert.Empty(await host.Sync.GetRunsAsync(host.Profile.TenantId));
    }

    internal static string Notification(string subscriptionId, string clientState, string tenantId) => $$"""
        {"value":[{"subscriptionId":"{{subscriptionId}}","subscriptionExpirationDateTime":"2026-12-30T00:00:00Z","changeType":"updated",
        "resource":"Users/00000000-0000-0000-0000-000000000001","resourceData":{"@odata.type":"#Microsoft.Graph.User","@odata.id":"Users/00000000-0000-0000-0000-000000000001",
        "id":"00000000-0000-0000-0000-000000000001","organizationId":"{{tenantId}}"},"clientState":"{{clientState}}","tenantId":"{{tenantId}}"}]}
        """;

    internal static async Task<HttpResponseMessage> PostAsync(string url, string json)
    {
        using var http = new HttpClient();
        return await http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
    }

    internal static MetricCollector<long> Collector(NotificationHost host) =>
        new(host.Services.GetRequiredService<IMeterFactory>(), "EntraSync", "entrasync.notifications.received");

    internal static long Count(MetricCollector<long> collector, string outcome) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags["outcome"], outcome)).Sum(m => m.Value);

    private sealed class GatedStore : IChangeSubscriptionStore
    {
        private int _waiting;

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Waiting => Volatile.Read(ref _waiting);

        public ValueTask<ChangeSubscription?> GetAsync(string tenantId, CancellationToken cancellationToken = default) => ValueTask.FromResult<ChangeSubscription?>(null);

        public async ValueTask<ChangeSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _waiting);
            await Gate.Task.WaitAsync(cancellationToken);
            return null;
        }

        public async IAsyncEnumerable<ChangeSubscription> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            yield break;
        }

        public ValueTask SaveAsync(ChangeSubscription subscription, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<bool> RemoveAsync(string tenantId, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
    }
}
