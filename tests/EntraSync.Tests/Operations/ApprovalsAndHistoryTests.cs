namespace EntraSync.Tests.Operations;

public sealed class ApprovalsAndHistoryTests
{
    private const string Tenant = "contoso";

    [Fact]
    public async Task Staged_removals_are_listed_approved_and_the_decision_is_recorded()
    {
        await using var h = await StagedAsync();
        var staged = Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant));
        Assert.Equal(StagedRemovalsStatus.Pending, staged.Status);
        Assert.Equal(12, staged.Removals.Count);

        var report = await h.Sync.ApproveRemovalsAsync(Tenant, staged.Id, "ops@contoso.example");

        Assert.Equal(12, report.Counts.Deactivated);
        var decided = Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant));
        Assert.Equal(StagedRemovalsStatus.Approved, decided.Status);
        Assert.Equal("ops@contoso.example", decided.DecidedBy);
        Assert.Equal(h.Time.GetUtcNow(), decided.DecidedAt);
        Assert.Equal(12, h.Store.GetEmployees(Tenant).Count(e => !e.IsActive));
        Assert.Equal(report.RunId, (await h.Sync.GetRunsAsync(Tenant, 1)).Single().RunId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Sync.RejectRemovalsAsync(Tenant, staged.Id));
    }

    [Fact]
    public async Task Rejected_removals_remove_nobody_and_the_decision_is_recorded()
    {
        await using var h = await StagedAsync();
        var staged = Assert.Single(await h.Sync.GetStagedRemovalsAsync(Tenant));

        var rejected = await h.Sync.RejectRemovalsAsync(Tenant, staged.Id, "ops@contoso.example");

        Assert.Equal(StagedRemovalsStatus.Rejected, rejected.Status);
        Assert.Equal("ops@contoso.example", (await h.Sync.GetStagedRemovalsAsync(Tenant)).Single().DecidedBy);
        Assert.All(h.Store.GetEmployees(Tenant), e => Assert.True(e.IsActive));
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Sync.ApproveRemovalsAsync(Tenant, staged.Id));
    }

    [Fact]
    public async Task Run_history_is_readable_per_tenant_newest_first_with_mode_counts_and_errors()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 4);
        h.AddTenant("other", users: 1);
        var first = await h.Sync.SyncAsync(Tenant);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        h.Directory.Fail(Tenant, () => new DirectoryException("The tenant was not found.", DirectoryErrorKind.TenantNotFound));
        var failed = await h.Sync.SyncAsync(Tenant, new SyncRunOptions { Mode = SyncMode.Full });
        await h.Sync.SyncAsync("other");

        var runs = await h.Sync.GetRunsAsync(Tenant);

        Assert.Equal([failed.RunId, first.RunId], runs.Select(r => r.RunId));
        Assert.Equal(SyncMode.Full, runs[0].RequestedMode);
        Assert.Equal("TenantNotFound", runs[0].FailureKind);
        Assert.Contains("The tenant was not found.", runs[0].Errors.Single(), StringComparison.Ordinal);
        Assert.Equal(4, runs[1].Counts.Created);
        Assert.Equal(OperationsHarness.Start, runs[1].StartedAt);
        Assert.Single(await h.Sync.GetRunsAsync(Tenant, max: 1));
        Assert.Empty(await h.Sync.GetRunsAsync(Tenant, max: 0));
        var state = (await h.Sync.GetTenantStateAsync(Tenant))!;
        Assert.Equal(1, state.ConsecutiveFailures);
        Assert.Equal(first.FinishedAt, state.LastSuccessAt);
    }

    /// <summary>40 employees, then 12 leave: 30% is above the 20% guard, so the run stages them.</summary>
    internal static async Task<OperationsHarness> StagedAsync()
    {
        var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 40);
        await h.Sync.SyncAsync(Tenant);
        for (var i = 0; i < 12; i++)
        {
            h.Directory.Inner.Remove(Tenant, ControlledDirectory.UserId(i));
        }

        var report = await h.Sync.SyncAsync(Tenant);
        Assert.Equal(12, report.Counts.Staged);
        return h;
    }
}
