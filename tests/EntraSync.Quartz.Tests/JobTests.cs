using EntraSync.Quartz.Scheduling.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace EntraSync.Quartz.Tests;

/// <summary>
/// The tenant's job fired by a started scheduler (Quartz's in-memory store, its own threads), on the harness's clock,
/// which EntraSync and Quartz share; every wait is on a condition.
/// </summary>
public sealed class JobTests
{
    [Fact]
    public async Task Sync_now_runs_the_tenant_through_its_job_and_its_schedule_goes_on_from_that_run()
    {
        await using var h = new QuartzHarness(start: DateTimeOffset.UtcNow);
        h.AddTenant("contoso");
        await h.PlanAsync();
        var scheduler = await h.SchedulerAsync();
        await scheduler.Start();

        await h.Triggers.SyncNowAsync("contoso", SyncMode.Full);

        var sync = h.Services.GetRequiredService<IEntraUserSync>();
        await QuartzHarness.WaitUntilAsync("the one-shot ran", async () => (await sync.GetRunsAsync("contoso")).Count == 1);
        var report = (await sync.GetRunsAsync("contoso"))[0];
        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Equal(SyncMode.Full, report.Mode);

        // "Sync now" counts as the tenant's sync for this interval: the schedule trigger moves to an interval after it.
        var next = (await h.State.GetTenantStateAsync("contoso"))!.NextRunAt;
        Assert.Equal(report.FinishedAt + TimeSpan.FromHours(1), next);
        await QuartzHarness.WaitUntilAsync("the schedule trigger follows the run", async () => (await h.ScheduleTriggerAsync("contoso"))!.NextFireTimeUtc == next);
    }

    [Fact]
    public async Task A_scheduled_run_that_quarantines_the_tenant_holds_its_trigger_back_until_the_quarantine_ends()
    {
        await using var h = new QuartzHarness(o => { o.Jitter = TimeSpan.Zero; o.QuarantineAfterFailures = 1; }, start: DateTimeOffset.UtcNow);
        h.AddTenant("contoso");
        h.Directory.FailNextRead = (0, new DirectoryException("The client secret is wrong. Create a new secret and update the profile.", DirectoryErrorKind.InvalidCredentials));
        await h.PlanAsync();
        var scheduler = await h.SchedulerAsync();

        await scheduler.Start();

        await QuartzHarness.WaitUntilAsync("the tenant is quarantined", async () => (await h.State.GetTenantStateAsync("contoso"))?.QuarantinedUntil is not null);
        var until = (await h.State.GetTenantStateAsync("contoso"))!.QuarantinedUntil;
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromHours(1), until);
        await QuartzHarness.WaitUntilAsync("the trigger waits for the quarantine's end", async () => (await h.ScheduleTriggerAsync("contoso"))!.NextFireTimeUtc == until);

        // The job moves its trigger before it ends; once it has ended, the trigger is waiting (not paused, not in error).
        await QuartzHarness.WaitUntilAsync("the job has ended", async () =>
            await scheduler.GetTriggerState(QuartzKeys.ScheduleTrigger("contoso")) is not (TriggerState.Executing or TriggerState.Blocked));
        Assert.Equal(TriggerState.Normal, await scheduler.GetTriggerState(QuartzKeys.ScheduleTrigger("contoso")));
    }

    [Fact]
    public async Task A_due_time_Quartz_has_already_passed_never_makes_the_job_fire_again_at_once()
    {
        // EntraSync's schedule on a clock a minute behind Quartz's: it says "not due yet" with a due time Quartz has passed.
        var behind = new BehindScheduledSync();
        await using var h = new QuartzHarness(o => o.PollInterval = TimeSpan.FromSeconds(30), start: DateTimeOffset.UtcNow,
            replace: s => s.Replace(ServiceDescriptor.Singleton<IScheduledSync>(sp => behind.Using(sp.GetRequiredService<TimeProvider>()))));
        h.AddTenant("contoso");
        await h.PlanAsync();
        var scheduler = await h.SchedulerAsync();

        await scheduler.Start();

        // Moved to the past, the trigger would fire again at once and for ever; it waits for the poll interval instead.
        var expected = h.Time.GetUtcNow() + TimeSpan.FromSeconds(30);
        await QuartzHarness.WaitUntilAsync("the trigger waits for the poll interval", async () => (await h.ScheduleTriggerAsync("contoso"))!.NextFireTimeUtc == expected);
        Assert.Equal(1, behind.Runs);
    }

    /// <summary>A schedule on a clock a minute behind the scheduler's: due now when planned, then never due when fired.</summary>
    private sealed class BehindScheduledSync
    {
        private TimeProvider _time = TimeProvider.System;
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public IScheduledSync Using(TimeProvider time)
        {
            _time = time;
            return new Schedule(this);
        }

        private sealed class Schedule(BehindScheduledSync owner) : IScheduledSync
        {
            public ValueTask<ScheduledSyncResult> PlanAsync(SyncProfile profile, CancellationToken cancellationToken = default) =>
                ValueTask.FromResult(new ScheduledSyncResult { NextDueAt = owner._time.GetUtcNow() });

            public ValueTask<ScheduledSyncResult> RunIfDueAsync(SyncProfile profile, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref owner._runs);
                return ValueTask.FromResult(new ScheduledSyncResult { NextDueAt = owner._time.GetUtcNow() - TimeSpan.FromMinutes(1) });
            }
        }
    }
}
