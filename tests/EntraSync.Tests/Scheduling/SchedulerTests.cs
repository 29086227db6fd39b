using EntraSync.Tests.Operations;

namespace EntraSync.Tests.Scheduling;

public sealed class SchedulerTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task First_runs_start_within_the_jitter_and_then_repeat_on_the_interval()
    {
        var jitter = TimeSpan.FromMinutes(10);
        await using var h = new OperationsHarness(o => o.Jitter = jitter);
        for (var i = 0; i < 20; i++)
        {
            h.AddTenant($"t{i:D2}");
        }

        await h.StartAsync();
        var due = h.Scheduler.DueTimes;
        Assert.Equal(20, due.Count);
        Assert.All(due.Values, d => Assert.InRange(d, OperationsHarness.Start, OperationsHarness.Start + jitter));
        Assert.True(due.Values.Distinct().Count() > 1, "tenants added together should not all start at the same moment");

        await h.AdvanceAsync(3 * Hour + jitter);

        foreach (var tenant in due.Keys)
        {
            var runs = await h.RunsAsync(tenant);
            Assert.Equal(4, runs.Count);
            Assert.All(runs, r => Assert.Equal(SyncOutcome.Succeeded, r.Outcome));
            Assert.InRange(runs[0].StartedAt, due[tenant], due[tenant] + TimeSpan.FromMinutes(1));
            for (var i = 1; i < runs.Count; i++)
            {
                // Runs keep the tenant's slot (start + k hours): no drift and no bunching.
                Assert.InRange(runs[i].StartedAt - runs[i - 1].StartedAt, Hour - TimeSpan.FromMinutes(1), Hour + TimeSpan.FromMinutes(1));
            }
        }
    }

    [Fact]
    public async Task Without_jitter_a_new_tenant_runs_at_once()
    {
        await using var h = new OperationsHarness(o => o.Jitter = TimeSpan.Zero);
        h.AddTenant("contoso");

        await h.StartAsync();

        var run = Assert.Single(await h.RunsAsync("contoso"));
        Assert.Equal(OperationsHarness.Start, run.StartedAt);
        Assert.Equal(3, h.Store.GetEmployees("contoso").Count);
        var state = await h.Sync.GetTenantStateAsync("contoso");
        Assert.Equal(OperationsHarness.Start + Hour, state!.NextRunAt);
    }

    [Fact]
    public async Task Incremental_runs_follow_the_interval_and_full_reads_the_full_cadence()
    {
        await using var h = new OperationsHarness();
        h.AddTenant("contoso", configure: p => p.Schedule.FullSyncInterval = TimeSpan.FromHours(6));

        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(13));

        var runs = await h.RunsAsync("contoso");
        Assert.Equal(14, runs.Count);
        Assert.Equal(SyncMode.Full, runs[0].Mode);
        Assert.NotNull(runs[0].FallbackReason);
        for (var i = 1; i < runs.Count; i++)
        {
            var expected = i % 6 == 0 ? SyncMode.Full : SyncMode.Incremental;
            Assert.Equal(expected, runs[i].RequestedMode);
            Assert.Equal(expected, runs[i].Mode);
            Assert.Equal(OperationsHarness.Start + i * Hour, runs[i].StartedAt);
        }
    }

    [Fact]
    public async Task A_restart_neither_skips_nor_doubles_runs()
    {
        var world = new OperationsHarness.Shared();
        var jitter = TimeSpan.FromMinutes(10);
        var tenants = Enumerable.Range(0, 8).Select(i => $"t{i}").ToList();
        var first = new OperationsHarness(o => o.Jitter = jitter, shared: world);
        foreach (var tenant in tenants)
        {
            first.AddTenant(tenant);
        }

        await first.StartAsync();
        var phase = first.Scheduler.DueTimes;
        await first.AdvanceAsync(TimeSpan.FromMinutes(150));
        await first.DisposeAsync();
        foreach (var tenant in tenants)
        {
            Assert.Equal(3, (await first.RunsAsync(tenant)).Count);
        }

        // Down for an hour: every tenant misses exactly one slot (phase + 3 h).
        world.Time.Advance(Hour);
        var second = new OperationsHarness(o => o.Jitter = jitter, shared: world);
        await second.StartAsync();
        var restartedAt = world.Time.GetUtcNow();
        foreach (var tenant in tenants)
        {
            var runs = await second.RunsAsync(tenant);
            Assert.Equal(4, runs.Count);
            Assert.Equal(restartedAt, runs[3].StartedAt);
        }

        // The missed slot was run once at restart; the next one keeps the tenant's phase.
        await second.AdvanceAsync(TimeSpan.FromMinutes(45));
        foreach (var tenant in tenants)
        {
            var runs = await second.RunsAsync(tenant);
            Assert.Equal(5, runs.Count);
            Assert.Equal(phase[tenant] + 4 * Hour, runs[4].StartedAt, TimeSpan.FromMinutes(1));
        }

        // A restart when nothing is due runs nothing until the next slot.
        await second.DisposeAsync();
        world.Time.Advance(TimeSpan.FromMinutes(5));
        await using var third = new OperationsHarness(o => o.Jitter = jitter, shared: world);
        await third.StartAsync();
        foreach (var tenant in tenants)
        {
            Assert.Equal(5, (await third.RunsAsync(tenant)).Count);
        }

        await third.AdvanceAsync(OperationsHarness.Start + 5 * Hour + jitter - world.Time.GetUtcNow());
        foreach (var tenant in tenants)
        {
            var runs = await third.RunsAsync(tenant);
            Assert.Equal(6, runs.Count);
            Assert.Equal(phase[tenant] + 5 * Hour, runs[5].StartedAt, TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task Two_hosts_sharing_a_store_run_each_slot_once()
    {
        var world = new OperationsHarness.Shared();
        await using var a = new OperationsHarness(shared: world);
        await using var b = new OperationsHarness(shared: world);
        var tenants = Enumerable.Range(0, 12).Select(i => $"t{i}").ToList();
        foreach (var tenant in tenants)
        {
            a.AddTenant(tenant);
        }

        await Task.WhenAll(a.Scheduler.StartAsync(CancellationToken.None), b.Scheduler.StartAsync(CancellationToken.None));
        Func<bool> settled = () => a.Scheduler.IsIdle && b.Scheduler.IsIdle;
        await Eventually.TrueAsync(settled, "both schedulers to settle");
        await a.AdvanceAsync(TimeSpan.FromHours(3), settled: settled);

        foreach (var tenant in tenants)
        {
            var runs = await a.RunsAsync(tenant);
            Assert.Equal(Enumerable.Range(0, 4).Select(i => OperationsHarness.Start + i * Hour), runs.Select(r => r.StartedAt));
        }

        Assert.Equal(1, world.Directory.MaxConcurrentReadsPerTenant);
    }

    [Fact]
    public async Task No_more_than_MaxConcurrentRuns_tenants_run_at_once()
    {
        await using var h = new OperationsHarness(o => o.MaxConcurrentRuns = 3);
        var tenants = Enumerable.Range(0, 10).Select(i => $"t{i}").ToList();
        foreach (var tenant in tenants)
        {
            h.AddTenant(tenant);
            h.Directory.Block(tenant);
        }

        await h.Scheduler.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => h.Directory.ActiveReads == 3 && h.Scheduler.IsWaiting, "three runs to start and the scheduler to wait");
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(() => h.Scheduler.IsWaiting, "the scheduler to wait again");
        Assert.Equal(3, h.Directory.ActiveReads);

        foreach (var tenant in tenants)
        {
            h.Directory.Unblock(tenant);
        }

        await h.WaitIdleAsync();
        Assert.Equal(3, h.Directory.MaxConcurrentReads);
        foreach (var tenant in tenants)
        {
            Assert.Single(await h.RunsAsync(tenant));
        }
    }

    [Fact]
    public async Task A_tenant_never_runs_twice_at_once_whoever_triggers_it()
    {
        await using var h = new OperationsHarness();
        h.AddTenant("contoso");
        var gate = h.Directory.Block("contoso");
        await h.Scheduler.StartAsync(CancellationToken.None);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var manual = await h.Sync.SyncAsync("contoso", new SyncRunOptions { Mode = SyncMode.Full });
        var single = await h.Sync.SyncUserAsync("contoso", ControlledDirectory.UserId(1));

        Assert.Equal(SyncOutcome.AlreadyRunning, manual.Outcome);
        Assert.Contains("already running", manual.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal(UserSyncOutcome.AlreadyRunning, single.Outcome);
        h.Directory.Unblock("contoso");
        await h.WaitIdleAsync();

        // Now the other way round: a manual run holds the tenant when its slot comes.
        var manualGate = h.Directory.Block("contoso");
        var manualRun = Task.Run(() => h.Sync.SyncAsync("contoso"));
        await manualGate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        h.Time.Advance(Hour);
        await Eventually.TrueAsync(() => h.Scheduler.IsWaiting && h.Scheduler.RunningCount == 0, "the scheduler to find the tenant busy");
        Assert.Equal(1, h.Directory.ActiveReads);
        h.Directory.Unblock("contoso");
        Assert.Equal(SyncOutcome.Succeeded, (await manualRun).Outcome);
        await h.WaitIdleAsync();

        Assert.Equal(1, h.Directory.MaxConcurrentReadsPerTenant);
        var state = await h.Sync.GetTenantStateAsync("contoso");
        Assert.Equal(h.Time.GetUtcNow() + Hour, state!.NextRunAt);
    }

    [Fact]
    public async Task A_failing_or_hanging_tenant_does_not_delay_the_others()
    {
        await using var h = new OperationsHarness(o => o.MaxConcurrentRuns = 2);
        h.AddTenant("hangs");
        h.AddTenant("fails");
        h.Directory.Block("hangs");
        h.Directory.Fail("fails", () => new DirectoryException("The client secret is wrong.", DirectoryErrorKind.InvalidCredentials));
        var healthy = Enumerable.Range(0, 5).Select(i => $"ok{i}").ToList();
        foreach (var tenant in healthy)
        {
            h.AddTenant(tenant);
        }

        await h.Scheduler.StartAsync(CancellationToken.None);
        Func<bool> settled = () => h.Scheduler.IsWaiting && h.Scheduler.RunningCount == 1 && h.Directory.ActiveReads == 1;
        await Eventually.TrueAsync(settled, "the first round");
        await h.AdvanceAsync(TimeSpan.FromHours(3), settled: settled);

        foreach (var tenant in healthy)
        {
            var runs = await h.RunsAsync(tenant);
            Assert.Equal(4, runs.Count);
            Assert.All(runs, r => Assert.Equal(SyncOutcome.Succeeded, r.Outcome));
            Assert.Equal(OperationsHarness.Start + 3 * Hour, runs[^1].StartedAt);
        }

        var failed = await h.RunsAsync("fails");
        Assert.Equal(4, failed.Count);
        Assert.All(failed, r => Assert.Equal(nameof(DirectoryErrorKind.InvalidCredentials), r.FailureKind));
        Assert.Empty(await h.RunsAsync("hangs"));
    }

    [Fact]
    public async Task Stopping_mid_run_cancels_at_a_batch_boundary_and_the_next_start_completes_the_run()
    {
        var world = new OperationsHarness.Shared();
        var h = new OperationsHarness(shared: world);
        h.AddTenant("contoso", users: 30);
        var gate = h.Directory.Block("contoso", beforePage: 2);
        await h.Scheduler.StartAsync(CancellationToken.None);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The engine reads a page ahead, so the read can reach page 2 while pages 0 and 1 are still being written: stop
        // once both are in the store, so what is asserted is the batch boundary, not how far the writer had got.
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (h.Store.GetEmployees("contoso").Count < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, limit.Token);
            }
        }

        await h.Scheduler.StopAsync(CancellationToken.None);

        var run = Assert.Single(await h.RunsAsync("contoso"));
        Assert.Equal(SyncOutcome.Cancelled, run.Outcome);
        Assert.False(run.IsReadComplete);
        var employees = h.Store.GetEmployees("contoso");
        Assert.Equal(20, employees.Count);
        Assert.All(employees, e =>
        {
            Assert.True(e.IsActive);
            Assert.NotNull(e.ContentHash);
            Assert.Equal("Consultant", e[FieldNames.JobTitle]);
        });
        Assert.Equal(OperationsHarness.Start, (await h.Sync.GetTenantStateAsync("contoso"))!.NextRunAt);
        await h.DisposeAsync();

        h.Directory.Unblock("contoso");
        await using var restarted = new OperationsHarness(shared: world);
        await restarted.StartAsync();

        var runs = await restarted.RunsAsync("contoso");
        Assert.Equal(SyncOutcome.Succeeded, runs[^1].Outcome);
        Assert.Equal(10, runs[^1].Counts.Created);
        Assert.Equal(30, world.Store.GetEmployees("contoso").Count);
    }

    [Fact]
    public async Task Disabled_and_removed_tenants_are_not_run_and_new_ones_are_picked_up_when_notified()
    {
        await using var h = new OperationsHarness();
        h.AddTenant("off", configure: p => p.Enabled = false);
        h.AddTenant("on");
        await h.StartAsync();
        Assert.Empty(await h.RunsAsync("off"));
        Assert.Single(await h.RunsAsync("on"));

        h.AddTenant("added");
        h.Scheduler.NotifyProfilesChanged();
        await h.WaitIdleAsync();

        Assert.Single(await h.RunsAsync("added"));
    }

    [Fact]
    public async Task The_scheduler_is_off_when_disabled()
    {
        await using var h = new OperationsHarness(o => o.Enabled = false);
        h.AddTenant("contoso");

        await h.Scheduler.StartAsync(CancellationToken.None);
        await h.Scheduler.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(await h.RunsAsync("contoso"));
        Assert.Contains(h.Logs.GetSnapshot(), l => l.Message.Contains("EntraSync scheduler is disabled", StringComparison.Ordinal));
    }
}
