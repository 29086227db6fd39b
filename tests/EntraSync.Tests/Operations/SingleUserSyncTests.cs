namespace EntraSync.Tests.Operations;

public sealed class SingleUserSyncTests
{
    private const string Tenant = "contoso";

    [Fact]
    public async Task A_new_user_is_created_and_each_step_is_reported()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 3);

        var result = await h.Sync.SyncUserAsync(Tenant, "user1@contoso.example");

        Assert.Equal(UserSyncOutcome.Succeeded, result.Outcome);
        Assert.Equal(UserAction.Created, result.Action);
        Assert.Equal(ControlledDirectory.UserId(1), result.DirectoryId);
        Assert.Equal("user1@contoso.example", result.Email);
        Assert.Equal(
            [UserSyncStepKind.Read, UserSyncStepKind.Scope, UserSyncStepKind.Match, UserSyncStepKind.Plan, UserSyncStepKind.Apply],
            result.Steps.Select(s => s.Kind));
        Assert.Equal("found User 1 (" + ControlledDirectory.UserId(1) + ")", result.Steps[0].Detail);
        Assert.Equal("in scope", result.Steps[1].Detail);
        Assert.Equal("no employee is linked and none has the email", result.Steps[2].Detail);
        Assert.Equal("created", result.Steps[3].Detail);
        Assert.Equal(UserSyncStepStatus.Succeeded, result.Steps[4].Status);
        var employee = Assert.Single(h.Store.GetEmployees(Tenant));
        Assert.Equal(ControlledDirectory.UserId(1), employee.DirectoryId);
    }

    [Fact]
    public async Task A_changed_user_is_updated_and_an_unchanged_one_writes_nothing()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 3);
        await h.Sync.SyncAsync(Tenant);
        h.Directory.AddUser(Tenant, 2, department: "Research");
        var writes = h.Store.ChangesApplied;

        var updated = await h.Sync.SyncUserAsync(Tenant, ControlledDirectory.UserId(2));
        var unchanged = await h.Sync.SyncUserAsync(Tenant, "user2@contoso.example");

        Assert.Equal(UserAction.Updated, updated.Action);
        Assert.Equal("update Department", updated.Steps.Single(s => s.Kind == UserSyncStepKind.Plan).Detail);
        Assert.StartsWith("employee e", updated.Steps.Single(s => s.Kind == UserSyncStepKind.Match).Detail, StringComparison.Ordinal);
        Assert.Null(unchanged.Action);
        Assert.Equal("no change: the employee is up to date", unchanged.Steps.Single(s => s.Kind == UserSyncStepKind.Plan).Detail);
        Assert.Equal("nothing to write", unchanged.Steps.Single(s => s.Kind == UserSyncStepKind.Apply).Detail);
        Assert.Equal(writes + 1, h.Store.ChangesApplied);
        Assert.Equal("Research", h.Store.FindByDirectoryId(Tenant, ControlledDirectory.UserId(2))![FieldNames.Department]);
    }

    [Fact]
    public async Task A_local_employee_with_the_same_email_is_linked()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 1);
        var key = h.Store.AddLocalEmployee(Tenant, "USER0@contoso.example");

        var result = await h.Sync.SyncUserAsync(Tenant, ControlledDirectory.UserId(0));

        Assert.Equal(UserAction.Linked, result.Action);
        Assert.Equal($"local employee {key} has the same email", result.Steps.Single(s => s.Kind == UserSyncStepKind.Match).Detail);
        Assert.Equal(ControlledDirectory.UserId(0), Assert.Single(h.Store.GetEmployees(Tenant)).DirectoryId);
    }

    [Fact]
    public async Task A_user_out_of_scope_is_removed_and_nobody_else_is_touched()
    {
        await using var h = new OperationsHarness(addScheduler: false, builder: b => b.Services.AddSingleton<IUserFilter>(new EntraSync.Tests.TestSupport.DepartmentFilter("Former")));
        h.AddTenant(Tenant, users: 4);
        await h.Sync.SyncAsync(Tenant);

        // Two people changed in the directory, one left; the single-user sync must act on user 1 only.
        h.Directory.AddUser(Tenant, 1, department: "Former");
        h.Directory.AddUser(Tenant, 2, department: "Former");
        h.Directory.Inner.Remove(Tenant, ControlledDirectory.UserId(3));

        var result = await h.Sync.SyncUserAsync(Tenant, ControlledDirectory.UserId(1));

        Assert.Equal(UserAction.Deactivated, result.Action);
        Assert.Equal(UserSyncStepStatus.Skipped, result.Steps.Single(s => s.Kind == UserSyncStepKind.Scope).Status);
        Assert.Equal("out of scope: department is Former", result.Steps.Single(s => s.Kind == UserSyncStepKind.Scope).Detail);
        var employees = h.Store.GetEmployees(Tenant).ToDictionary(e => e.DirectoryId!);
        Assert.False(employees[ControlledDirectory.UserId(1)].IsActive);
        Assert.True(employees[ControlledDirectory.UserId(0)].IsActive);
        Assert.True(employees[ControlledDirectory.UserId(2)].IsActive);
        Assert.True(employees[ControlledDirectory.UserId(3)].IsActive);
    }

    [Fact]
    public async Task A_user_gone_from_the_directory_is_removed_when_asked_by_object_id_and_nobody_is_purged()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 3, configure: p => p.Removal.RetentionPeriod = TimeSpan.FromDays(1));
        await h.Sync.SyncAsync(Tenant);
        h.Directory.Inner.Remove(Tenant, ControlledDirectory.UserId(0));
        await h.Sync.SyncAsync(Tenant);
        h.Time.Advance(TimeSpan.FromDays(2));
        h.Directory.Inner.Remove(Tenant, ControlledDirectory.UserId(1));

        var byEmail = await h.Sync.SyncUserAsync(Tenant, "user1@contoso.example");
        var byId = await h.Sync.SyncUserAsync(Tenant, ControlledDirectory.UserId(1));

        Assert.Equal(UserSyncOutcome.NotFound, byEmail.Outcome);
        Assert.Contains("does not prove the user left, so nobody was removed", byEmail.Steps.Single(s => s.Kind == UserSyncStepKind.Match).Detail, StringComparison.Ordinal);
        Assert.Equal(UserSyncOutcome.Succeeded, byId.Outcome);
        Assert.Equal(UserAction.Deactivated, byId.Action);
        Assert.Equal(UserSyncStepStatus.Skipped, byId.Steps[0].Status);
        var employees = h.Store.GetEmployees(Tenant).ToDictionary(e => e.DirectoryId!);
        Assert.Equal(3, employees.Count);
        Assert.False(employees[ControlledDirectory.UserId(0)].IsActive);
        Assert.False(employees[ControlledDirectory.UserId(1)].IsActive);
        Assert.True(employees[ControlledDirectory.UserId(2)].IsActive);
    }

    [Fact]
    public async Task A_preview_plans_without_writing()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 1);

        var result = await h.Sync.SyncUserAsync(Tenant, ControlledDirectory.UserId(0), new UserSyncOptions { DryRun = true });

        Assert.True(result.IsDryRun);
        Assert.Equal(UserAction.Created, result.Action);
        Assert.Equal("dry run: nothing written", result.Steps[^1].Detail);
        Assert.Empty(h.Store.GetEmployees(Tenant));
    }

    [Fact]
    public async Task Unknown_users_disabled_tenants_and_directory_errors_have_clear_outcomes()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 1);
        h.AddTenant("off", configure: p => p.Enabled = false);
        h.AddTenant("broken");
        h.Directory.Fail("broken", () => new DirectoryException("The app lacks User.Read.All.", DirectoryErrorKind.PermissionMissing));

        var unknown = await h.Sync.SyncUserAsync(Tenant, "nobody@contoso.example");
        var off = await h.Sync.SyncUserAsync("off", ControlledDirectory.UserId(0));
        var broken = await h.Sync.SyncUserAsync("broken", ControlledDirectory.UserId(0));
        var noTenant = await h.Sync.SyncUserAsync("missing", ControlledDirectory.UserId(0));

        Assert.Equal(UserSyncOutcome.NotFound, unknown.Outcome);
        Assert.Equal("no employee is linked to it; nothing to do", unknown.Steps[^1].Detail);
        Assert.Equal(UserSyncOutcome.Disabled, off.Outcome);
        Assert.Equal(UserSyncOutcome.Failed, broken.Outcome);
        Assert.Equal("The app lacks User.Read.All. Nobody was changed.", broken.Errors.Single());
        Assert.Equal(UserSyncStepStatus.Failed, Assert.Single(broken.Steps).Status);
        Assert.Equal(UserSyncOutcome.Failed, noTenant.Outcome);
        Assert.Contains("No profile is configured for tenant 'missing'", noTenant.Errors.Single(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => h.Sync.SyncUserAsync(Tenant, " "));
    }
}
