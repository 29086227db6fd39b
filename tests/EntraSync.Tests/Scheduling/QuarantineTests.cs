using System.Diagnostics.Metrics;
using EntraSync.Tests.Operations;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EntraSync.Tests.Scheduling;

public sealed class QuarantineTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Repeated_bad_credentials_back_off_and_a_profile_change_lifts_the_quarantine()
    {
        await using var h = new OperationsHarness();
        var profile = h.AddTenant("contoso", configure: p => p.Version = "1");
        h.AddTenant("fabrikam");
        h.Directory.Fail("contoso", () => new DirectoryException("The client secret of the app registration is wrong. Create a new secret and update the profile.", DirectoryErrorKind.InvalidCredentials));
        using var quarantined = new MetricCollector<int>(h.Services.GetRequiredService<IMeterFactory>(), EntraSyncTelemetry.Name, "entrasync.tenants.quarantined");

        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(2));

        // Third failure in a row at 2 h: quarantined for 1 hour.
        var state = (await h.Sync.GetTenantStateAsync("contoso"))!;
        Assert.Equal(3, state.ConsecutiveFailures);
        Assert.Equal("InvalidCredentials", state.LastFailureKind);
        Assert.Contains("Create a new secret", state.LastFailureMessage, StringComparison.Ordinal);
        Assert.Equal(OperationsHarness.Start + 3 * Hour, state.QuarantinedUntil);
        quarantined.RecordObservableInstruments();
        Assert.Equal(1, quarantined.LastMeasurement!.Value);

        // Fourth failure at 3 h: 6 hours; nothing runs before 9 h while the other tenant goes on hourly.
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(OperationsHarness.Start + 9 * Hour, (await h.Sync.GetTenantStateAsync("contoso"))!.QuarantinedUntil);
        var reads = h.Directory.ReadCount("contoso");
        await h.AdvanceAsync(TimeSpan.FromHours(5));
        Assert.Equal(reads, h.Directory.ReadCount("contoso"));
        Assert.Equal(9, (await h.RunsAsync("fabrikam")).Count);

        // The customer fixes the secret: the new profile version lifts the quarantine and the tenant runs at once.
        h.Directory.Heal("contoso");
        var fixedProfile = new SyncProfile { TenantId = "contoso", Version = "2" };
        fixedProfile.Schedule.Interval = profile.Schedule.Interval;
        fixedProfile.Schedule.FullSyncInterval = TimeSpan.Zero;
        h.Profiles.Set(fixedProfile);
        h.Scheduler.NotifyProfilesChanged();
        await h.WaitIdleAsync();

        state = (await h.Sync.GetTenantStateAsync("contoso"))!;
        Assert.Null(state.QuarantinedUntil);
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.Equal(h.Time.GetUtcNow(), state.LastSuccessAt);
        Assert.Equal(SyncOutcome.Succeeded, (await h.RunsAsync("contoso"))[^1].Outcome);
        quarantined.RecordObservableInstruments();
        Assert.Equal(0, quarantined.LastMeasurement!.Value);
        Assert.Contains(h.Logs.GetSnapshot(), l => l.Message.Contains("Tenant contoso quarantined until", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_successful_manual_run_lifts_the_quarantine_and_the_schedule_goes_on_from_it()
    {
        await using var h = new OperationsHarness(o => o.QuarantineAfterFailures = 2);
        h.AddTenant("contoso");
        h.Directory.Fail("contoso", () => new DirectoryException("Admin consent was revoked.", DirectoryErrorKind.PermissionMissing));
        await h.StartAsync();
        await h.AdvanceAsync(Hour);
        Assert.Equal(OperationsHarness.Start + 2 * Hour, (await h.Sync.GetTenantStateAsync("contoso"))!.QuarantinedUntil);

        // A manual run while quarantined is allowed; failing, it keeps the tenant held back (one more failure in a row).
        var stillBroken = await h.Sync.SyncAsync("contoso");
        Assert.Equal(SyncOutcome.Failed, stillBroken.Outcome);
        Assert.Equal(OperationsHarness.Start + 7 * Hour, (await h.Sync.GetTenantStateAsync("contoso"))!.QuarantinedUntil);

        h.Directory.Heal("contoso");
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var manual = await h.Sync.SyncAsync("contoso");
        await h.WaitIdleAsync();

        Assert.Equal(SyncOutcome.Succeeded, manual.Outcome);
        var state = (await h.Sync.GetTenantStateAsync("contoso"))!;
        Assert.Null(state.QuarantinedUntil);
        Assert.Equal(manual.FinishedAt + Hour, state.NextRunAt);
        var reads = h.Directory.ReadCount("contoso");
        await h.AdvanceAsync(Hour);
        Assert.Equal(reads + 1, h.Directory.ReadCount("contoso"));
        Assert.Equal(manual.FinishedAt + Hour, (await h.RunsAsync("contoso"))[^1].StartedAt);
    }

    [Fact]
    public async Task A_manual_run_in_another_process_lifts_the_quarantine_for_the_scheduler_too()
    {
        var world = new OperationsHarness.Shared();
        await using var worker = new OperationsHarness(o => o.QuarantineAfterFailures = 1, shared: world);
        await using var web = new OperationsHarness(shared: world, addScheduler: false);
        worker.AddTenant("contoso");
        world.Directory.Fail("contoso", () => new DirectoryException("Admin consent was revoked.", DirectoryErrorKind.ApplicationNotFound));
        await worker.StartAsync();
        Assert.Equal(OperationsHarness.Start + Hour, (await web.Sync.GetTenantStateAsync("contoso"))!.QuarantinedUntil);
        await worker.AdvanceAsync(Hour);
        Assert.Equal(OperationsHarness.Start + 7 * Hour, (await web.Sync.GetTenantStateAsync("contoso"))!.QuarantinedUntil);

        world.Directory.Heal("contoso");
        var manual = await web.Sync.SyncAsync("contoso");
        Assert.Equal(SyncOutcome.Succeeded, manual.Outcome);
        await worker.AdvanceAsync(Hour + TimeSpan.FromMinutes(1));

        var runs = await worker.RunsAsync("contoso");
        Assert.Equal(manual.FinishedAt + Hour, runs[^1].StartedAt);
        Assert.Equal(SyncOutcome.Succeeded, runs[^1].Outcome);
    }

    [Fact]
    public async Task An_invalid_profile_is_reported_for_its_tenant_and_the_others_run()
    {
        await using var h = new OperationsHarness();
        h.AddTenant("good");
        h.AddTenant("bad", configure: p => p.Removal.MaxRemovalPercentPerRun = 150);
        h.Profiles.AddRaw(new SyncProfile { TenantId = "" });
        h.AddTenant("also-good");

        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(3));

        Assert.Equal(4, (await h.RunsAsync("good")).Count);
        Assert.Equal(4, (await h.RunsAsync("also-good")).Count);
        var bad = await h.RunsAsync("bad");
        Assert.All(bad, r =>
        {
            Assert.Equal(SyncOutcome.Failed, r.Outcome);
            Assert.Equal("InvalidProfile", r.FailureKind);
            Assert.Contains("Removal:MaxRemovalPercentPerRun is 150", r.Errors.Single(), StringComparison.Ordinal);
        });
        var state = (await h.Sync.GetTenantStateAsync("bad"))!;
        Assert.Equal("InvalidProfile", state.LastFailureKind);
        Assert.NotNull(state.QuarantinedUntil);
        Assert.Empty(h.Store.GetEmployees("bad"));
        Assert.Contains(h.Logs.GetSnapshot(), l => l.Message.Contains("has no TenantId", StringComparison.Ordinal));
    }
}
