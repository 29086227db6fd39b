using EntraSync.Quartz.Scheduling.Internal;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace EntraSync.Quartz.Tests;

/// <summary>
/// The tenant's job fired by a started scheduler (Quartz's in-memory store, its own threads). EntraSync's clock starts
/// at the wall clock's now so both agree on what is due; every wait is on a condition.
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
        Assert.Equal(TriggerState.Normal, await scheduler.GetTriggerState(QuartzKeys.ScheduleTrigger("contoso")));
    }
}
