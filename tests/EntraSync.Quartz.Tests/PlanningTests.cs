using EntraSync.Quartz.Scheduling.Internal;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Extensibility;

namespace EntraSync.Quartz.Tests;

/// <summary>The planner on Quartz's in-memory store with the scheduler not started: what it stores, and where.</summary>
public sealed class PlanningTests
{
    [Fact]
    public async Task Planning_stores_one_recoverable_serial_job_per_enabled_tenant_firing_at_its_first_slot_within_the_jitter()
    {
        await using var h = new QuartzHarness();
        h.AddTenant("contoso");
        h.AddTenant("fabrikam", p => p.Schedule.Interval = TimeSpan.FromHours(2));
        h.AddTenant("northwind", p => p.Enabled = false);

        var summary = await h.PlanAsync();

        Assert.Equal(2, summary.Added);
        var scheduler = await h.SchedulerAsync();
        var jobs = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(QuartzKeys.TenantJobGroup));
        Assert.Equal(["contoso", "fabrikam"], jobs.Select(j => j.Name).Order());
        foreach (var (tenant, interval) in new[] { ("contoso", TimeSpan.FromHours(1)), ("fabrikam", TimeSpan.FromHours(2)) })
        {
            var job = (await scheduler.GetJobDetail(QuartzKeys.TenantJob(tenant)))!;
            Assert.True(job.Durable);
            Assert.True(job.RequestsRecovery);          // a dead node's run is taken over
            Assert.True(job.ConcurrentExecutionDisallowed);
            Assert.Equal(tenant, job.JobDataMap[QuartzKeys.TenantIdKey]);

            var state = (await h.State.GetTenantStateAsync(tenant))!;
            var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(await h.ScheduleTriggerAsync(tenant));
            Assert.Equal(state.NextRunAt, trigger.NextFireTimeUtc);
            Assert.InRange(trigger.NextFireTimeUtc!.Value, QuartzHarness.Start, QuartzHarness.Start + TimeSpan.FromMinutes(10));
            Assert.Equal(interval, trigger.RepeatInterval);
        }
    }

    [Fact]
    public async Task Planning_again_changes_nothing_when_nothing_changed()
    {
        await using var h = new QuartzHarness();
        h.AddTenant("contoso");
        await h.PlanAsync();
        var before = (await h.ScheduleTriggerAsync("contoso"))!.NextFireTimeUtc;

        var summary = await h.PlanAsync();

        Assert.Equal(new PlanSummary(1, 0, 0, 0, 0, true), summary);
        Assert.Equal(before, (await h.ScheduleTriggerAsync("contoso"))!.NextFireTimeUtc);
    }

    [Fact]
    public async Task A_tenant_whose_profile_is_gone_or_disabled_loses_its_job()
    {
        await using var h = new QuartzHarness();
        h.AddTenant("contoso");
        h.AddTenant("fabrikam");
        await h.PlanAsync();

        h.Profiles.Remove("contoso");
        h.AddTenant("fabrikam", p => p.Enabled = false);
        var summary = await h.PlanAsync();

        Assert.Equal(2, summary.Removed);
        Assert.Empty(await (await h.SchedulerAsync()).GetJobKeys(GroupMatcher<JobKey>.GroupEquals(QuartzKeys.TenantJobGroup)));
    }

    [Fact]
    public async Task A_profile_provider_failing_part_way_removes_no_job()
    {
        await using var h = new QuartzHarness();
        h.AddTenant("contoso");
        h.AddTenant("fabrikam");
        await h.PlanAsync();

        h.Profiles.FailAfterFirst = new InvalidOperationException("the integrations table is unreachable");
        var summary = await h.PlanAsync();

        Assert.False(summary.Complete);
        Assert.Equal(0, summary.Removed);
        Assert.Equal(2, (await (await h.SchedulerAsync()).GetJobKeys(GroupMatcher<JobKey>.GroupEquals(QuartzKeys.TenantJobGroup))).Count);
    }

    [Fact]
    public async Task A_quarantine_holds_the_trigger_back_to_its_end_and_a_profile_change_makes_the_tenant_due_now()
    {
        await using var h = new QuartzHarness();
        h.AddTenant("contoso");
        await h.PlanAsync();

        // Quarantined (as the engine records it after failures in a row for a lasting reason): the trigger moves to its end.
        var state = (await h.State.GetTenantStateAsync("contoso"))!;
        var until = QuartzHarness.Start + TimeSpan.FromHours(6);
        await h.State.SaveTenantStateAsync(new TenantSyncState
        {
            TenantId = "contoso",
            NextRunAt = state.NextRunAt,
            ProfileVersion = state.ProfileVersion,
            ConsecutiveFailures = 4,
            LastFailureKind = "InvalidCredentials",
            QuarantinedUntil = until,
        });
        Assert.Equal(1, (await h.PlanAsync()).Moved);
        Assert.Equal(until, (await h.ScheduleTriggerAsync("contoso"))!.NextFireTimeUtc);

        // The customer fixes the secret: a new profile version lifts the quarantine and the tenant is due now.
        h.Time.Advance(TimeSpan.FromMinutes(30));
        h.AddTenant("contoso", p => p.Version = "2");
        Assert.Equal(1, (await h.PlanAsync()).Moved);
        Assert.Equal(h.Time.GetUtcNow(), (await h.ScheduleTriggerAsync("contoso"))!.NextFireTimeUtc);
        Assert.Null((await h.State.GetTenantStateAsync("contoso"))!.QuarantinedUntil);
    }

    [Fact]
    public async Task A_shorter_interval_moves_the_trigger_to_the_new_rhythm()
    {
        await using var h = new QuartzHarness(o => o.Jitter = TimeSpan.Zero);
        h.AddTenant("contoso", p => p.Schedule.Interval = TimeSpan.FromHours(6));
        await h.PlanAsync();

        h.AddTenant("contoso", p => { p.Version = "2"; p.Schedule.Interval = TimeSpan.FromHours(1); });
        await h.PlanAsync();

        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(await h.ScheduleTriggerAsync("contoso"));
        Assert.Equal(TimeSpan.FromHours(1), trigger.RepeatInterval);
    }

    [Fact]
    public async Task A_slot_missed_while_the_cluster_was_down_fires_once_not_once_per_missed_interval()
    {
        await using var h = new QuartzHarness(o => o.Jitter = TimeSpan.Zero);
        h.AddTenant("contoso");
        await h.PlanAsync();
        var trigger = (IOperableTrigger)(await h.ScheduleTriggerAsync("contoso"))!;
        Assert.Equal(SimpleTriggerMisfireInstruction.NowWithExistingCount, ((ISimpleTrigger)trigger).MisfireInstruction);

        // Quartz's own misfire handling, as a job store applies it to a trigger five intervals late.
        var down = trigger.NextFireTimeUtc!.Value;
        trigger.UpdateAfterMisfire(null);
        var once = trigger.NextFireTimeUtc!.Value;
        Assert.True(once > down + TimeSpan.FromHours(4), "the misfired trigger fires now, not at its old slot");
        trigger.Triggered(null);
        Assert.Equal(once + TimeSpan.FromHours(1), trigger.NextFireTimeUtc);
    }

    [Fact]
    public async Task Sync_now_and_approvals_are_one_shot_triggers_of_the_tenants_job()
    {
        await using var h = new QuartzHarness();
        h.AddTenant("contoso");
        h.AddTenant("fabrikam");
        await h.PlanAsync();

        await h.Triggers.SyncNowAsync("contoso", SyncMode.Full);
        await h.Triggers.ApproveRemovalsAsync("fabrikam", "staged-1", "admin@fabrikam.example");

        var scheduler = await h.SchedulerAsync();
        var oneShots = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(QuartzKeys.OneShotTriggerGroup));
        Assert.Equal(2, oneShots.Count);
        var now = (await scheduler.GetTriggersOfJob(QuartzKeys.TenantJob("contoso"))).Single(t => t.Key.Group == QuartzKeys.OneShotTriggerGroup);
        Assert.Equal(QuartzKeys.SyncNowKind, now.JobDataMap[QuartzKeys.KindKey]);
        Assert.Equal("Full", now.JobDataMap[QuartzKeys.ModeKey]);
        Assert.Equal(SimpleTriggerMisfireInstruction.FireNow, ((ISimpleTrigger)now).MisfireInstruction);
        var approve = (await scheduler.GetTriggersOfJob(QuartzKeys.TenantJob("fabrikam"))).Single(t => t.Key.Group == QuartzKeys.OneShotTriggerGroup);
        Assert.Equal(QuartzKeys.ApproveKind, approve.JobDataMap[QuartzKeys.KindKey]);
        Assert.Equal("staged-1", approve.JobDataMap[QuartzKeys.StagedRemovalsKey]);
        await Assert.ThrowsAsync<ArgumentException>(() => h.Triggers.SyncNowAsync("unknown"));
    }

    [Fact]
    public async Task Profile_changes_noticed_together_ask_for_one_planning_pass()
    {
        await using var h = new QuartzHarness();
        await h.RegisterPlannerAsync();
        var scheduler = await h.SchedulerAsync();
        var planner = h.Services.GetRequiredService<QuartzSyncScheduler>();

        await planner.PlanNowAsync(CancellationToken.None);
        await planner.PlanNowAsync(CancellationToken.None);

        var triggers = await scheduler.GetTriggersOfJob(QuartzKeys.Planner);
        Assert.Single(triggers, t => t.Key.Equals(QuartzKeys.PlannerNow));
        var refresh = Assert.IsAssignableFrom<ISimpleTrigger>(triggers.Single(t => t.Key.Equals(QuartzKeys.PlannerRefresh)));
        Assert.Equal(TimeSpan.FromMinutes(5), refresh.RepeatInterval);
        Assert.Same(planner, h.Services.GetRequiredService<IEntraSyncScheduler>());
    }
}
