namespace EntraSync.Tests.Operations;

/// <summary>Approvals stay true to the directory: a later read supersedes or trims a staged set, old sets expire, and a decision takes the tenant's lock.</summary>
public sealed class ApprovalTruthTests
{
    private const string Tenant = "contoso";

    [Fact]
    public async Task A_complete_full_read_supersedes_a_pending_set_and_approving_it_is_refused()
    {
        await using var h = await StagedAsync();
        var staged = Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant));
        Restore(h, 0, 12);

        var full = await h.Sync.SyncAsync(Tenant, new SyncRunOptions { Mode = SyncMode.Full });

        Assert.Equal(SyncOutcome.Succeeded, full.Outcome);
        Assert.Equal(StagedRemovalsStatus.Superseded, Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant)).Status);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Sync.ApproveRemovalsAsync(Tenant, staged.Id, "ops"));
        Assert.Contains("superseded", refused.Message, StringComparison.Ordinal);
        Assert.All(h.Store.GetEmployees(Tenant), e => Assert.True(e.IsActive));
    }

    [Fact]
    public async Task Approving_after_an_incremental_read_removes_only_employees_that_read_still_did_not_see()
    {
        await using var h = await StagedAsync();
        var staged = Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant));
        Restore(h, 0, 4);

        var incremental = await h.Sync.SyncAsync(Tenant);
        var report = await h.Sync.ApproveRemovalsAsync(Tenant, staged.Id, "ops");

        Assert.Equal(SyncMode.Incremental, incremental.Mode);
        Assert.Equal(8, report.Counts.Deactivated);
        var inactive = h.Store.GetEmployees(Tenant).Where(e => !e.IsActive).Select(e => e.DirectoryId).Order().ToList();
        Assert.Equal(Enumerable.Range(4, 8).Select(ControlledDirectory.UserId), inactive);
    }

    [Fact]
    public async Task Approving_a_set_older_than_its_lifetime_is_refused_as_expired()
    {
        await using var h = await StagedAsync();
        var staged = Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant));
        h.Time.Advance(TimeSpan.FromDays(8));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Sync.ApproveRemovalsAsync(Tenant, staged.Id, "ops"));

        Assert.Contains("expired", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Removal:StagedRemovalsLifetime", refused.Message, StringComparison.Ordinal);
        Assert.Equal(StagedRemovalsStatus.Expired, Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant)).Status);
        Assert.All(h.Store.GetEmployees(Tenant), e => Assert.True(e.IsActive));
    }

    [Fact]
    public async Task Rejecting_while_a_sync_of_the_tenant_runs_is_refused_like_approving()
    {
        await using var h = await StagedAsync();
        var staged = Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant));
        var gate = h.Directory.Block(Tenant);
        var running = h.Sync.SyncAsync(Tenant);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Sync.RejectRemovalsAsync(Tenant, staged.Id, "ops"));
        h.Directory.Unblock(Tenant);
        await running;

        Assert.Contains("is running", refused.Message, StringComparison.Ordinal);
        Assert.Equal(StagedRemovalsStatus.Pending, Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant)).Status);
    }

    private static void Restore(OperationsHarness h, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            h.Directory.AddUser(Tenant, i);
        }
    }

    private static Task<OperationsHarness> StagedAsync() => ApprovalsAndHistoryTests.StagedAsync();
}
