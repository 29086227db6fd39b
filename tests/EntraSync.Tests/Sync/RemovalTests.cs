using EntraSync.Tests.TestSupport;

namespace EntraSync.Tests.Sync;

public sealed class RemovalTests
{
    [Fact]
    public async Task A_user_deleted_in_the_directory_is_soft_deleted_then_purged_after_retention()
    {
        await using var h = new SyncHarness();
        var id = h.AddUser("Ada", "Lovelace");
        h.AddUser("Alan", "Turing");
        await h.RunAsync();
        h.Directory.Remove(SyncHarness.Tenant, id);

        var report = await h.RunAsync();

        Assert.Equal(1, report.Counts.Deactivated);
        var ada = h.Store.FindByDirectoryId(SyncHarness.Tenant, id)!;
        Assert.False(ada.IsActive);
        Assert.Equal(h.Time.GetUtcNow(), ada.DeactivatedAt);
        Assert.Contains(report.Users, u => u.Action == UserAction.Deactivated && u.Reason == "deleted in the directory (restorable there)");

        h.Time.Advance(TimeSpan.FromDays(89));
        Assert.Equal(0, (await h.RunAsync(SyncMode.Full)).Counts.Purged);
        Assert.NotNull(h.Store.FindByDirectoryId(SyncHarness.Tenant, id));

        h.Time.Advance(TimeSpan.FromDays(1));
        var purge = await h.RunAsync(SyncMode.Full);
        Assert.Equal(1, purge.Counts.Purged);
        Assert.Null(h.Store.FindByDirectoryId(SyncHarness.Tenant, id));
        Assert.Single(h.Employees);
    }

    [Fact]
    public async Task A_user_who_comes_back_within_retention_is_reactivated_with_current_fields()
    {
        await using var h = new SyncHarness();
        var id = h.AddUser("Ada", "Lovelace");
        await h.RunAsync();
        var user = h.Directory.GetUsers(SyncHarness.Tenant).Single();
        h.Directory.Remove(SyncHarness.Tenant, id);
        await h.RunAsync();
        h.Time.Advance(TimeSpan.FromDays(30));
        h.Directory.Upsert(SyncHarness.Tenant, user);
        h.Change(id, "jobTitle", "Countess");

        var report = await h.RunAsync();

        Assert.Equal(1, report.Counts.Reactivated);
        var ada = Assert.Single(h.Employees);
        Assert.True(ada.IsActive);
        Assert.Equal("Countess", ada[FieldNames.JobTitle]);
    }

    [Fact]
    public async Task A_user_missing_from_a_complete_full_read_is_removed()
    {
        await using var h = new SyncHarness(p => p.Removal.Mode = RemovalMode.Delete);
        var id = h.AddUser("Ada", "Lovelace");
        h.AddUser("Alan", "Turing");
        await h.RunAsync();

        // Gone without a trace in an incremental read (as when a delta token is lost): only a full read notices.
        h.Directory.Remove(SyncHarness.Tenant, id);
        await h.ForgetCheckpointAsync();
        var report = await h.RunAsync(SyncMode.Full);

        Assert.Equal(1, report.Counts.Deleted);
        Assert.Contains(report.Users, u => u.Action == UserAction.Deleted && u.DirectoryId == id && u.Reason == "not returned by the directory any more (deleted, or outside the configured scope)");
        Assert.Null(h.Store.FindByDirectoryId(SyncHarness.Tenant, id));
    }

    [Fact]
    public async Task Keep_mode_never_removes_and_says_so()
    {
        await using var h = new SyncHarness(p => p.Removal.Mode = RemovalMode.Keep);
        var id = h.AddUser("Ada", "Lovelace");
        await h.RunAsync();
        h.Directory.Remove(SyncHarness.Tenant, id);

        var report = await h.RunAsync();

        Assert.Equal(1, report.Counts.Kept);
        Assert.True(Assert.Single(h.Employees).IsActive);
    }

    [Fact]
    public async Task Local_employees_are_never_changed_or_removed()
    {
        await using var h = new SyncHarness(p => p.Removal.Mode = RemovalMode.Delete);
        var key = h.Store.AddLocalEmployee(SyncHarness.Tenant, "founder@contoso.com", new Dictionary<string, string?> { [FieldNames.JobTitle] = "Founder" });
        h.AddUser("Ada", "Lovelace");

        await h.RunAsync(SyncMode.Full);
        await h.RunAsync(SyncMode.Full);

        var local = h.Employees.Single(e => e.Key == key);
        Assert.Null(local.DirectoryId);
        Assert.True(local.IsActive);
        Assert.Equal("Founder", local[FieldNames.JobTitle]);
    }

    [Fact]
    public async Task A_user_leaving_scope_is_removed_unless_the_profile_keeps_out_of_scope_users()
    {
        var filter = new DepartmentFilter();
        await using var h = new SyncHarness(services: s => s.AddSingleton<IUserFilter>(filter));
        var id = h.AddUser("Ada", "Lovelace", more: p => p["department"] = "Sales");
        await h.RunAsync();
        filter.Excluded.Add("Sales");

        var report = await h.RunAsync(SyncMode.Full);

        Assert.Equal(1, report.Counts.OutOfScope);
        Assert.Equal(1, report.Counts.Deactivated);
        Assert.Contains(report.Users, u => u.Action == UserAction.Deactivated && u.Reason!.Contains("department is Sales", StringComparison.Ordinal));
        Assert.False(h.Store.FindByDirectoryId(SyncHarness.Tenant, id)!.IsActive);
    }

    [Fact]
    public async Task Out_of_scope_users_are_kept_when_the_option_says_so()
    {
        var filter = new DepartmentFilter();
        await using var h = new SyncHarness(p => p.Removal.RemoveUsersOutOfScope = false, s => s.AddSingleton<IUserFilter>(filter));
        var id = h.AddUser("Ada", "Lovelace", more: p => p["department"] = "Sales");
        await h.RunAsync();
        filter.Excluded.Add("Sales");

        var report = await h.RunAsync(SyncMode.Full);

        Assert.Equal(1, report.Counts.Kept);
        Assert.True(h.Store.FindByDirectoryId(SyncHarness.Tenant, id)!.IsActive);
    }

    [Fact]
    public async Task A_read_that_fails_removes_nobody_and_says_why()
    {
        await using var h = new SyncHarness(p => p.Removal.Mode = RemovalMode.Delete);
        for (var i = 0; i < 30; i++)
        {
            h.AddUser("U" + i, "P");
        }

        await h.RunAsync();
        h.Directory.FailNextRead = (1, new DirectoryException("Graph answered 503 Service Unavailable.", DirectoryErrorKind.Unavailable));

        var report = await h.RunAsync(SyncMode.Full);

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.False(report.IsReadComplete);
        Assert.Equal("Unavailable", report.FailureKind);
        Assert.Contains("Graph answered 503", Assert.Single(report.Errors), StringComparison.Ordinal);
        Assert.Contains("Nobody was removed", report.Errors[0], StringComparison.Ordinal);
        Assert.Equal(30, h.Employees.Count(e => e.IsActive));
    }

    [Fact]
    public async Task A_read_cut_short_removes_nobody_and_keeps_the_old_checkpoint()
    {
        await using var h = new SyncHarness(p => p.Removal.Mode = RemovalMode.Delete);
        for (var i = 0; i < 30; i++)
        {
            h.AddUser("U" + i, "P");
        }

        await h.RunAsync();
        var checkpoint = await h.State.GetCheckpointAsync(SyncHarness.Tenant);
        h.Directory.CutNextReadShort = true;

        var report = await h.RunAsync(SyncMode.Full);

        Assert.Equal(SyncOutcome.PartiallySucceeded, report.Outcome);
        Assert.False(report.IsReadComplete);
        Assert.Equal(30, h.Employees.Count(e => e.IsActive));
        Assert.Same(checkpoint, await h.State.GetCheckpointAsync(SyncHarness.Tenant));
    }

    [Fact]
    public async Task A_cancelled_run_removes_nobody()
    {
        await using var h = new SyncHarness(p => p.Removal.Mode = RemovalMode.Delete);
        for (var i = 0; i < 30; i++)
        {
            h.AddUser("U" + i, "P");
        }

        await h.RunAsync();
        using var cts = new CancellationTokenSource();
        h.Directory.FailNextRead = (1, new OperationCanceledException(cts.Token));
        cts.Cancel();

        var report = await h.RunAsync(SyncMode.Full, cancellationToken: cts.Token);

        Assert.Equal(SyncOutcome.Cancelled, report.Outcome);
        Assert.Equal(30, h.Employees.Count(e => e.IsActive));
    }

    [Fact]
    public async Task A_store_failure_mid_run_is_repaired_by_the_next_run_without_duplicates()
    {
        await using var h = new SyncHarness();
        for (var i = 0; i < 30; i++)
        {
            h.AddUser("U" + i, "P");
        }

        var batches = 0;
        h.Store.BeforeApply = _ =>
        {
            if (++batches == 2)
            {
                throw new IOException("disk full");
            }
        };

        var failed = await h.RunAsync();
        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        Assert.Contains("disk full", failed.Errors[0], StringComparison.Ordinal);
        Assert.Equal(10, h.Employees.Count);

        h.Store.BeforeApply = null;
        var repaired = await h.RunAsync();

        Assert.Equal(SyncOutcome.Succeeded, repaired.Outcome);
        Assert.Equal(30, h.Employees.Count);
        Assert.Equal(30, h.Employees.Select(e => e.DirectoryId).Distinct().Count());
    }

    [Fact]
    public async Task Removals_above_the_count_threshold_are_staged_and_applied_only_on_approval()
    {
        await using var h = new SyncHarness(p => { p.Removal.MaxRemovalsPerRun = 3; p.Removal.Mode = RemovalMode.Delete; });
        var ids = Enumerable.Range(0, 10).Select(i => h.AddUser("U" + i, "P")).ToList();
        await h.RunAsync();
        foreach (var id in ids.Take(4))
        {
            h.Directory.Remove(SyncHarness.Tenant, id);
        }

        var report = await h.RunAsync();

        Assert.Equal(4, report.Counts.Staged);
        Assert.Equal(0, report.Counts.Deleted);
        Assert.NotNull(report.StagedRemovalsId);
        Assert.Contains("4 removals exceed the limit of 3 per run", Assert.Single(report.Warnings), StringComparison.Ordinal);
        Assert.Equal(10, h.Employees.Count);
        var staged = Assert.Single(await h.Sync.GetStagedRemovalsAsync(SyncHarness.Tenant));
        Assert.Equal(StagedRemovalsStatus.Pending, staged.Status);
        Assert.Equal(ids.Take(4).Order(), staged.Removals.Select(r => r.DirectoryId).Order());

        var approved = await h.Sync.ApproveRemovalsAsync(SyncHarness.Tenant, staged.Id, "it-admin@contoso.com");

        Assert.Equal(4, approved.Counts.Deleted);
        Assert.Equal(6, h.Employees.Count);
        var decided = Assert.Single(await h.Sync.GetStagedRemovalsAsync(SyncHarness.Tenant));
        Assert.Equal(StagedRemovalsStatus.Approved, decided.Status);
        Assert.Equal("it-admin@contoso.com", decided.DecidedBy);
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Sync.ApproveRemovalsAsync(SyncHarness.Tenant, staged.Id));
    }

    [Fact]
    public async Task Removals_above_the_percentage_threshold_are_staged_and_rejection_removes_nobody()
    {
        await using var h = new SyncHarness(p => { p.Removal.MaxRemovalPercentPerRun = 25; p.Removal.PercentageGuardMinimum = 2; });
        var ids = Enumerable.Range(0, 8).Select(i => h.AddUser("U" + i, "P")).ToList();
        await h.RunAsync();
        foreach (var id in ids.Take(3))
        {
            h.Directory.Remove(SyncHarness.Tenant, id);
        }

        var report = await h.RunAsync();

        Assert.Equal(3, report.Counts.Staged);
        Assert.Contains("37.5% of 8 active employees", report.Warnings[0], StringComparison.Ordinal);
        var rejected = await h.Sync.RejectRemovalsAsync(SyncHarness.Tenant, report.StagedRemovalsId!, "it-admin");
        Assert.Equal(StagedRemovalsStatus.Rejected, rejected.Status);
        Assert.Equal(8, h.Employees.Count(e => e.IsActive));
    }

    [Fact]
    public async Task Removals_under_the_percentage_minimum_are_applied()
    {
        await using var h = new SyncHarness();
        var ids = Enumerable.Range(0, 4).Select(i => h.AddUser("U" + i, "P")).ToList();
        await h.RunAsync();
        h.Directory.Remove(SyncHarness.Tenant, ids[0]);

        var report = await h.RunAsync();

        Assert.Equal(1, report.Counts.Deactivated);
        Assert.Equal(0, report.Counts.Staged);
    }

    [Fact]
    public async Task A_newer_staging_supersedes_the_pending_one()
    {
        await using var h = new SyncHarness(p => p.Removal.MaxRemovalsPerRun = 0);
        var ids = Enumerable.Range(0, 3).Select(i => h.AddUser("U" + i, "P")).ToList();
        await h.RunAsync();
        h.Directory.Remove(SyncHarness.Tenant, ids[0]);
        var first = await h.RunAsync();
        h.Directory.Remove(SyncHarness.Tenant, ids[1]);

        var second = await h.RunAsync(SyncMode.Full);

        var all = await h.Sync.GetStagedRemovalsAsync(SyncHarness.Tenant);
        Assert.Equal(StagedRemovalsStatus.Superseded, all.Single(s => s.Id == first.StagedRemovalsId).Status);
        Assert.Equal(2, all.Single(s => s.Id == second.StagedRemovalsId).Removals.Count);
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Sync.ApproveRemovalsAsync(SyncHarness.Tenant, first.StagedRemovalsId!));
    }
}
