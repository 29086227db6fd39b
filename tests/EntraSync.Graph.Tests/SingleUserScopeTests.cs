using EntraSync.Testing;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Graph.Tests;

/// <summary>
/// Single-user sync applies the tenant's directory scope exactly as a full read does (issue 15 §5): the server-side
/// OData filter and the scope groups, through the default Graph source and the real Microsoft.Graph client.
/// </summary>
public sealed class SingleUserScopeTests
{
    private const string Subsidiary = "companyName eq 'Contoso'";

    [Fact]
    public async Task A_user_outside_the_OData_filter_is_not_imported_and_the_result_says_why()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var other = emulator.DefaultTenant.AddUser(Emulator.Person("Olga", "Other", u => u.CompanyName = "Fabrikam"));
        await using var sync = Host(emulator, p => p.Scope.ODataFilter = Subsidiary);

        var result = await sync.Sync.SyncUserAsync(sync.TenantId, other.Mail!);

        Assert.Equal(UserSyncOutcome.Succeeded, result.Outcome);
        Assert.Equal(UserAction.OutOfScope, result.Action);
        Assert.Equal(other.Id, result.DirectoryId);
        var scope = Assert.Single(result.Steps, s => s.Kind == UserSyncStepKind.Scope);
        Assert.Equal(UserSyncStepStatus.Skipped, scope.Status);
        Assert.Equal($"out of scope: does not match the directory filter (Scope:ODataFilter) {Subsidiary}", scope.Detail);
        Assert.Contains("Scope:ODataFilter", result.UserOutcome!.Reason, StringComparison.Ordinal);
        Assert.Empty(sync.Store.GetEmployees(sync.TenantId));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task A_user_outside_the_scope_groups_is_not_imported_and_the_result_names_the_groups()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var licensed = tenant.AddGroup(new EmulatedGroup { DisplayName = "Signature licences" });
        var member = tenant.AddUser(Emulator.Person("Ada", "Lovelace"));
        var outsider = tenant.AddUser(Emulator.Person("Uma", "Unlicensed"));
        tenant.AddMember(licensed, member.Id);
        await using var sync = Host(emulator, p => p.Scope.GroupIds.Add(licensed));

        var result = await sync.Sync.SyncUserAsync(sync.TenantId, outsider.Id);

        Assert.Equal(UserAction.OutOfScope, result.Action);
        var scope = Assert.Single(result.Steps, s => s.Kind == UserSyncStepKind.Scope);
        Assert.Equal(UserSyncStepStatus.Skipped, scope.Status);
        Assert.Contains("not a member of any scope group (Scope:GroupIds)", scope.Detail, StringComparison.Ordinal);
        Assert.Contains(licensed, scope.Detail, StringComparison.Ordinal);
        Assert.Empty(sync.Store.GetEmployees(sync.TenantId));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task A_member_of_a_nested_scope_group_who_matches_the_filter_is_imported()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var licensed = tenant.AddGroup(new EmulatedGroup { DisplayName = "Signature licences" });
        var sales = tenant.AddGroup(new EmulatedGroup { DisplayName = "Sales" });
        tenant.AddMember(licensed, sales);
        var ada = tenant.AddUser(Emulator.Person("Ada", "Lovelace", u => u.CompanyName = "Contoso"));
        tenant.AddMember(sales, ada.Id);
        await using var sync = Host(emulator, p =>
        {
            p.Scope.GroupIds.Add(licensed);
            p.Scope.ODataFilter = Subsidiary;
        });

        var result = await sync.Sync.SyncUserAsync(sync.TenantId, ada.UserPrincipalName!);

        Assert.Equal(UserAction.Created, result.Action);
        Assert.Equal("in scope", Assert.Single(result.Steps, s => s.Kind == UserSyncStepKind.Scope).Detail);
        Assert.Equal(ada.Id, Assert.Single(sync.Store.GetEmployees(sync.TenantId)).DirectoryId);
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task A_direct_member_only_scope_does_not_count_a_nested_member()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var licensed = tenant.AddGroup(new EmulatedGroup { DisplayName = "Signature licences" });
        var sales = tenant.AddGroup(new EmulatedGroup { DisplayName = "Sales" });
        tenant.AddMember(licensed, sales);
        var ada = tenant.AddUser(Emulator.Person("Ada", "Lovelace"));
        tenant.AddMember(sales, ada.Id);
        await using var sync = Host(emulator, p =>
        {
            p.Scope.GroupIds.Add(licensed);
            p.Scope.IncludeNestedGroups = false;
        });

        var full = await sync.Sync.SyncAsync(sync.TenantId, new SyncRunOptions { Mode = SyncMode.Full });
        var result = await sync.Sync.SyncUserAsync(sync.TenantId, ada.Id);

        Assert.Equal(0, full.Counts.Created);
        Assert.Equal(UserAction.OutOfScope, result.Action);
        Assert.Contains("a direct member", Assert.Single(result.Steps, s => s.Kind == UserSyncStepKind.Scope).Detail, StringComparison.Ordinal);
        Assert.Empty(sync.Store.GetEmployees(sync.TenantId));
    }

    [Fact]
    public async Task A_linked_employee_whose_user_left_the_filter_is_removed_with_the_reason_instead_of_updated()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var ada = tenant.AddUser(Emulator.Person("Ada", "Lovelace", u => u.CompanyName = "Contoso"));
        tenant.AddUser(Emulator.Person("Alan", "Turing", u => u.CompanyName = "Contoso"));
        tenant.AddUser(Emulator.Person("Grace", "Hopper", u => u.CompanyName = "Contoso"));
        await using var sync = Host(emulator, p => p.Scope.ODataFilter = Subsidiary);
        Assert.Equal(3, (await sync.Sync.SyncAsync(sync.TenantId, new SyncRunOptions { Mode = SyncMode.Full })).Counts.Created);
        tenant.UpdateUser(ada.Id, u => u.CompanyName = "Fabrikam");   // moved to another subsidiary

        var result = await sync.Sync.SyncUserAsync(sync.TenantId, ada.Id);

        Assert.Equal(UserAction.Deactivated, result.Action);
        Assert.EndsWith($"no longer in the tenant's scope: does not match the directory filter (Scope:ODataFilter) {Subsidiary}", result.UserOutcome!.Reason, StringComparison.Ordinal);
        Assert.False(sync.Store.FindByDirectoryId(sync.TenantId, ada.Id)!.IsActive);
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task A_filter_on_memberOf_sees_the_users_groups_as_a_full_read_does()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var sales = tenant.AddGroup(new EmulatedGroup { DisplayName = "Sales" });
        var ada = tenant.AddUser(Emulator.Person("Ada", "Lovelace"));
        var bob = tenant.AddUser(Emulator.Person("Bob", "Babbage"));
        tenant.AddUser(Emulator.Person("Alan", "Turing"));
        tenant.AddMember(sales, ada.Id);
        await using var sync = Host(emulator, p =>
        {
            p.Scope.MemberOfGroupIds.Add(sales);
            p.Filter.Groups.Add(new FilterGroup { Rules = [new FilterRule { Property = DirectoryUser.MemberOfProperty, Operator = FilterOperator.EqualTo, Value = "Sales" }] });
        });
        Assert.Equal(1, (await sync.Sync.SyncAsync(sync.TenantId, new SyncRunOptions { Mode = SyncMode.Full })).Counts.Created);

        var member = await sync.Sync.SyncUserAsync(sync.TenantId, ada.Id);
        var outsider = await sync.Sync.SyncUserAsync(sync.TenantId, bob.Id);

        Assert.Null(member.Action);   // unchanged: the same groups as the full read saw
        Assert.True(sync.Store.FindByDirectoryId(sync.TenantId, ada.Id)!.IsActive);
        Assert.Equal(UserAction.OutOfScope, outsider.Action);
        Assert.Single(sync.Store.GetEmployees(sync.TenantId));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task The_scope_check_sends_the_filter_with_the_users_id_and_the_advanced_query_parameters_it_needs()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var ada = emulator.DefaultTenant.AddUser(Emulator.Person("Ada", "Lovelace", u => u.CompanyName = "Contoso"));
        const string advanced = "companyName eq 'Contoso' and not(userType eq 'Guest')";
        await using var sync = Host(emulator, p => p.Scope.ODataFilter = advanced);
        emulator.ClearRequests();

        var result = await sync.Sync.SyncUserAsync(sync.TenantId, ada.Id);

        Assert.Equal(UserAction.Created, result.Action);
        var check = Assert.Single(emulator.Requests, r => r.PathAndQuery.StartsWith("/v1.0/users?", StringComparison.Ordinal));
        Assert.Contains($"$filter=id eq '{ada.Id}' and ({advanced})", Uri.UnescapeDataString(check.PathAndQuery), StringComparison.Ordinal);
        Assert.Contains("$count=true", Uri.UnescapeDataString(check.PathAndQuery), StringComparison.Ordinal);
        Assert.Equal("eventual", check.Header("ConsistencyLevel"));
    }

    private static SyncHost Host(GraphEmulator emulator, Action<SyncProfile> configure)
    {
        var profile = Emulator.Profile(emulator, configure: configure);
        var services = new ServiceCollection();
        services.AddEntraUserSync(o => o.Tenants.Add(profile)).AddInMemoryStores();
        var provider = services.BuildServiceProvider();
        return new SyncHost(provider, profile.TenantId);
    }

    private sealed class SyncHost(ServiceProvider provider, string tenantId) : IAsyncDisposable
    {
        public string TenantId { get; } = tenantId;

        public IEntraUserSync Sync { get; } = provider.GetRequiredService<IEntraUserSync>();

        public InMemoryEmployeeStore Store { get; } = provider.GetRequiredService<InMemoryEmployeeStore>();

        public ValueTask DisposeAsync() => provider.DisposeAsync();
    }
}
