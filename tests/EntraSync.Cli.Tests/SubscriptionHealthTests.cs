using EntraSync.ChangeNotifications;
using EntraSync.Cli.Storage;
using EntraSync.Cli.Tests.TestSupport;
using EntraSync.Testing.Emulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Cli.Tests;

/// <summary>
/// <c>check</c> reports the change-notification subscription a host created (near-real-time sync): on, renewal due,
/// gone or off, with the expiry and time left, in words and in <c>--json</c>. It only reads (GET) and never changes
/// the exit code.
/// </summary>
public sealed class SubscriptionHealthTests : IDisposable
{
    private readonly ToolRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Check_says_notifications_are_off_and_what_to_do_when_the_host_has_created_no_subscription()
    {
        var text = await _cli.RunAsync("check");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Change notifications (near-real-time sync):", text.Out, StringComparison.Ordinal);
        Assert.Contains("off: no subscription: the host has not created one. Is ChangeNotifications:Enabled set and the host running?", text.Out, StringComparison.Ordinal);

        var json = await _cli.RunAsync("check", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        await CliSchemas.AssertValidAsync("check", json.Out);
        var notifications = json.Json().GetProperty("changeNotifications");
        Assert.Equal("off", notifications.GetProperty("state").GetString());
        Assert.False(notifications.GetProperty("onGraph").GetBoolean());
        Assert.False(File.Exists(_cli.DbPath), "check still creates no database");
    }

    [Fact]
    public async Task Check_reports_the_hosts_subscription_with_its_expiry_time_left_and_the_last_run_a_notification_started()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 5, Seed = 4 });
        using var endpoint = new ValidationEndpoint();
        var tenant = emulator.DefaultTenant.Id;
        string id;
        await using (var hostServices = Host(emulator, endpoint.Url, configure: null))
        {
            id = (await hostServices.GetRequiredService<ChangeSubscriptionManager>().EnsureAsync(tenant))!.SubscriptionId;
            await hostServices.GetRequiredService<IEntraUserSync>().SyncAsync(tenant, new SyncRunOptions { Trigger = SyncTrigger.ChangeNotification });
        }

        emulator.ClearRequests();

        var text = await Check("check");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"on: subscription {id} on /users expires ", text.Out, StringComparison.Ordinal);
        Assert.Matches(@", in 2[89] days( \d+ h)?; renewed automatically by the host while it runs \(2 days before it expires\)\.", text.Out);
        Assert.Contains("last run started by a change notification: ", text.Out, StringComparison.Ordinal);

        var json = await Check("check", "--json");
        await CliSchemas.AssertValidAsync("check", json.Out);
        var notifications = json.Json().GetProperty("changeNotifications");
        Assert.Equal("on", notifications.GetProperty("state").GetString());
        Assert.Equal(id, notifications.GetProperty("subscriptionId").GetString());
        Assert.True(notifications.GetProperty("onGraph").GetBoolean());
        Assert.True(notifications.GetProperty("keptInDatabase").GetBoolean());
        Assert.False(notifications.GetProperty("renewalDue").GetBoolean());
        Assert.InRange(notifications.GetProperty("secondsLeft").GetDouble(), TimeSpan.FromDays(28).TotalSeconds, TimeSpan.FromDays(29).TotalSeconds);
        Assert.Equal(endpoint.Url, notifications.GetProperty("notificationUrl").GetString());
        Assert.Equal("succeeded", notifications.GetProperty("lastNotificationRun").GetProperty("outcome").GetString());

        // Graph's own list finds it too when the database does not keep it (a host with the in-memory store).
        File.Delete(_cli.DbPath);
        var listed = await Check("check");
        Assert.Contains($"on: subscription {id} on /users", listed.Out, StringComparison.Ordinal);
        Assert.Contains("This database does not keep it", listed.Out, StringComparison.Ordinal);
        Assert.All(emulator.Requests, r => Assert.Equal("GET", r.Method));   // check only reads

        Task<CliResult> Check(params string[] args) =>
            _cli.RunAsync([.. args, "--graph-url", emulator.GraphBaseUrl, "--access-token", emulator.CreateAccessToken(tenant)]);
    }

    [Fact]
    public async Task Check_says_when_renewal_is_due_and_when_the_hosts_subscription_is_gone_from_graph()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 5, Seed = 4 });
        using var endpoint = new ValidationEndpoint();
        var tenant = emulator.DefaultTenant.Id;
        await using (var hostServices = Host(emulator, endpoint.Url, o => (o.SubscriptionLifetime, o.RenewBefore) = (TimeSpan.FromDays(1), TimeSpan.FromHours(12))))
        {
            await hostServices.GetRequiredService<ChangeSubscriptionManager>().EnsureAsync(tenant);
        }

        var due = await Check("check");
        Assert.True(due.ExitCode == 0, due.ToString());
        Assert.Contains("renewal due: subscription ", due.Out, StringComparison.Ordinal);
        Assert.Contains("the host renews it at its next check (hourly by default). If it is still due after that, is the host running?", due.Out, StringComparison.Ordinal);

        emulator.Subscriptions.Remove(emulator.Subscriptions.GetAll().Single().Id);   // Graph dropped it (e.g. the host stopped renewing)
        var gone = await Check("check", "--json");
        Assert.True(gone.ExitCode == 0, gone.ToString());
        await CliSchemas.AssertValidAsync("check", gone.Out);
        var notifications = gone.Json().GetProperty("changeNotifications");
        Assert.Equal("gone", notifications.GetProperty("state").GetString());
        Assert.False(notifications.GetProperty("onGraph").GetBoolean());
        Assert.Contains("is no longer known to Microsoft Graph; the host creates a new one at its next check", notifications.GetProperty("message").GetString(), StringComparison.Ordinal);

        Task<CliResult> Check(params string[] args) =>
            _cli.RunAsync([.. args, "--graph-url", emulator.GraphBaseUrl, "--access-token", emulator.CreateAccessToken(tenant)]);
    }

    /// <summary>A host's services: EntraSync with change notifications and the EF Core stores in the tool's database file.</summary>
    private ServiceProvider Host(GraphEmulator emulator, string notificationUrl, Action<ChangeNotificationOptions>? configure)
    {
        var tenant = emulator.DefaultTenant.Id;
        var profile = new SyncProfile
        {
            TenantId = tenant,
            Connection = { TenantId = tenant, GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken(tenant) },
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContextFactory<CliDbContext>(o => o.UseSqlite($"Data Source={_cli.DbPath}"));
        services.AddEntraUserSync(o => o.Tenants.Add(profile))
            .AddEntityFrameworkCoreStore<CliDbContext>()
            .AddEntityFrameworkCoreChangeSubscriptionStore<CliDbContext>()
            .AddChangeNotifications(o =>
            {
                o.Enabled = true;
                o.NotificationUrl = notificationUrl;
                configure?.Invoke(o);
            });
        var provider = services.BuildServiceProvider();
        using var context = provider.GetRequiredService<IDbContextFactory<CliDbContext>>().CreateDbContext();
        context.Database.EnsureCreated();
        return provider;
    }
}
