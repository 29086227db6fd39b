using EntraSync.Testing;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Graph.Tests;

/// <summary>
/// The manager line (issue 21) through the emulator and the real Microsoft.Graph client: expanded on full reads,
/// followed on delta rounds (manager@delta and the manager's own values), cleared when the manager leaves.
/// </summary>
public sealed class ManagerTests
{
    private static readonly string[] Properties = [.. Emulator.Properties, "manager/id", "manager/mail", "manager/displayName"];

    [Fact]
    public async Task A_full_read_expands_the_manager_and_a_user_without_one_has_none()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var boss = tenant.AddUser(Emulator.Person("Grace", "Hopper"));
        var ada = tenant.AddUser(Emulator.Person("Ada", "Lovelace", u => u.ManagerId = boss.Id));
        using var source = Emulator.Source();

        var users = (await source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator), properties: Properties))).Users();

        var read = users.Single(u => u.Id == ada.Id);
        Assert.Equal(boss.Id, read.GetString("manager/id"));
        Assert.Equal(boss.Mail, read.GetString("manager/mail"));
        Assert.Equal("Grace Hopper", read.GetString("manager/displayName"));
        Assert.Null(users.Single(u => u.Id == boss.Id).GetString("manager/id"));
        Assert.Contains(emulator.Requests, r => r.PathAndQuery.Contains("expand=manager", StringComparison.OrdinalIgnoreCase));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task Delta_rounds_follow_a_new_manager_and_clear_a_manager_who_left()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var grace = tenant.AddUser(Emulator.Person("Grace", "Hopper"));
        var alan = tenant.AddUser(Emulator.Person("Alan", "Turing"));
        var ada = tenant.AddUser(Emulator.Person("Ada", "Lovelace", u => u.ManagerId = grace.Id));
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator);
        var checkpoint = (await source.ReadAllAsync(Emulator.Request(profile, properties: Properties))).Completion().Checkpoint!;

        tenant.UpdateUser(ada.Id, u => u.ManagerId = alan.Id);
        var changed = await source.ReadAllAsync(Emulator.Request(profile, checkpoint, Properties));

        var moved = Assert.Single(changed.Users());
        Assert.Equal((alan.Id, alan.Mail, "Alan Turing"), (moved.GetString("manager/id"), moved.GetString("manager/mail"), moved.GetString("manager/displayName")));
        Assert.Contains(emulator.Requests, r => r.PathAndQuery.Contains("/delta", StringComparison.Ordinal) && r.PathAndQuery.Contains("manager", StringComparison.Ordinal));

        tenant.DeleteUser(alan.Id);
        tenant.UpdateUser(ada.Id, u => u.ManagerId = null);
        var cleared = await source.ReadAllAsync(Emulator.Request(profile, changed.Completion().Checkpoint, Properties));

        var orphan = Assert.Single(cleared.Users());
        Assert.Equal(ada.Id, orphan.Id);
        Assert.Null(orphan.GetString("manager/id"));
        Assert.Null(orphan.GetString("manager/mail"));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task A_mapped_manager_field_is_synced_updated_and_cleared()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var grace = tenant.AddUser(Emulator.Person("Grace", "Hopper"));
        var alan = tenant.AddUser(Emulator.Person("Alan", "Turing"));
        var ada = tenant.AddUser(Emulator.Person("Ada", "Lovelace", u => u.ManagerId = grace.Id));
        var profile = Emulator.Profile(emulator, configure: p =>
        {
            p.Fields.Fields.Add(new FieldMapping { Name = "Manager Email", Source = "manager/mail" });
            p.Fields.Fields.Add(new FieldMapping { Name = "Reports To", Source = "manager/displayName" });
        });
        var services = new ServiceCollection();
        services.AddEntraUserSync(o => o.Tenants.Add(profile)).AddInMemoryStores();
        await using var provider = services.BuildServiceProvider();
        var sync = provider.GetRequiredService<IEntraUserSync>();
        var store = provider.GetRequiredService<InMemoryEmployeeStore>();

        Assert.Equal(SyncOutcome.Succeeded, (await sync.SyncAsync(profile.TenantId, new SyncRunOptions { Mode = SyncMode.Full })).Outcome);
        Assert.Equal((grace.Mail, "Grace Hopper"), Manager(store, profile.TenantId, ada.Id));

        tenant.UpdateUser(ada.Id, u => u.ManagerId = alan.Id);
        var moved = await sync.SyncAsync(profile.TenantId, new SyncRunOptions { Mode = SyncMode.Incremental });
        Assert.Equal(1, moved.Counts.Updated);
        Assert.Equal((alan.Mail, "Alan Turing"), Manager(store, profile.TenantId, ada.Id));

        tenant.UpdateUser(ada.Id, u => u.ManagerId = null);
        var cleared = await sync.SyncAsync(profile.TenantId, new SyncRunOptions { Mode = SyncMode.Incremental });
        Assert.Equal(1, cleared.Counts.Updated);
        Assert.Equal(((string?)null, (string?)null), Manager(store, profile.TenantId, ada.Id));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task With_an_advanced_query_filter_the_managers_are_read_in_batches_of_gets_instead_of_expanded()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var grace = tenant.AddUser(Emulator.Person("Grace", "Hopper"));
        var reports = Enumerable.Range(0, 45).Select(i => tenant.AddUser(Emulator.Person("Report", "No" + i, u => u.ManagerId = grace.Id))).ToList();
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator, configure: p => p.Scope.ODataFilter = "endsWith(mail,'@contoso.com')");

        var users = (await source.ReadAllAsync(Emulator.Request(profile, properties: Properties))).Users();

        // Graph refuses $expand with advanced queries: nothing expanded, every report still has Grace as manager.
        Assert.Equal(46, users.Count);
        Assert.All(reports, r => Assert.Equal("Grace Hopper", users.Single(u => u.Id == r.Id).GetString("manager/displayName")));
        Assert.Null(users.Single(u => u.Id == grace.Id).GetString("manager/id"));
        Assert.DoesNotContain(emulator.Requests, r => r.PathAndQuery.Contains("expand", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3, emulator.Requests.Count(r => r.Method == "POST" && r.PathAndQuery == "/v1.0/$batch"));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task A_manager_read_that_fails_fails_the_read_instead_of_clearing_the_manager()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var grace = tenant.AddUser(Emulator.Person("Grace", "Hopper"));
        tenant.AddUser(Emulator.Person("Ada", "Lovelace", u => u.ManagerId = grace.Id));
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator, configure: p => p.Scope.ODataFilter = "endsWith(mail,'@contoso.com')");
        emulator.Faults.PathContains = "/manager";
        emulator.Faults.Status = 403;

        var error = await Assert.ThrowsAsync<DirectoryException>(() => source.ReadAllAsync(Emulator.Request(profile, properties: Properties)));

        Assert.Equal(DirectoryErrorKind.PermissionMissing, error.Kind);
    }

    private static (string? Email, string? Name) Manager(InMemoryEmployeeStore store, string tenant, string directoryId)
    {
        var employee = store.FindByDirectoryId(tenant, directoryId)!;
        return (employee.Fields.GetValueOrDefault("Manager Email"), employee.Fields.GetValueOrDefault("Reports To"));
    }
}
