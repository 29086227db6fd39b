using EntraSync.Scheduling.Internal;

namespace EntraSync.Tests.Scheduling;

public sealed class TenantScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 6)]
    [InlineData(5, 12)]
    [InlineData(6, 24)]
    [InlineData(7, 24)]
    [InlineData(30, 24)]
    public void Quarantine_backs_off_1_6_12_24_hours_then_daily(int failures, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), TenantSchedule.QuarantineFor(failures, threshold: 3));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(59, 1)]
    [InlineData(60, 2)]
    [InlineData(61, 2)]
    [InlineData(185, 4)]
    public void The_next_slot_is_the_first_on_the_grid_after_now(int minutesLate, int expectedSlot) =>
        Assert.Equal(T0 + expectedSlot * Hour, TenantSchedule.NextSlot(T0, Hour, T0 + TimeSpan.FromMinutes(minutesLate)));

    [Fact]
    public void The_same_lasting_failure_three_times_in_a_row_quarantines()
    {
        var profile = new SyncProfile { TenantId = "t" };
        TenantSyncState? state = null;
        for (var i = 1; i <= 3; i++)
        {
            state = TenantSchedule.AfterRun(state, profile, Failed("InvalidCredentials", T0 + i * Hour), SyncTrigger.Schedule, T0 + i * Hour, sameReasonInARow: i, threshold: 3);
        }

        Assert.Equal(3, state!.ConsecutiveFailures);
        Assert.Equal("InvalidCredentials", state.LastFailureKind);
        Assert.Equal("the secret is wrong", state.LastFailureMessage);
        Assert.Equal(T0 + 4 * Hour, state.QuarantinedUntil);
    }

    [Theory]
    [InlineData("Throttled")]
    [InlineData("Unavailable")]
    [InlineData("IncompleteRead")]
    public void Passing_trouble_never_quarantines(string kind)
    {
        var profile = new SyncProfile { TenantId = "t" };
        TenantSyncState? state = null;
        for (var i = 1; i <= 6; i++)
        {
            state = TenantSchedule.AfterRun(state, profile, Failed(kind, T0 + i * Hour), SyncTrigger.Schedule, T0 + i * Hour, sameReasonInARow: i, threshold: 3);
        }

        Assert.Equal(6, state!.ConsecutiveFailures);
        Assert.Null(state.QuarantinedUntil);
        Assert.Equal(T0 + 8 * Hour, state.NextRunAt);
    }

    [Fact]
    public void Failures_for_different_reasons_do_not_quarantine()
    {
        var profile = new SyncProfile { TenantId = "t" };
        var state = TenantSchedule.AfterRun(null, profile, Failed("PermissionMissing", T0), SyncTrigger.Schedule, T0, 1, 3);
        state = TenantSchedule.AfterRun(state, profile, Failed("InvalidCredentials", T0 + Hour), SyncTrigger.Schedule, T0 + Hour, 1, 3);
        state = TenantSchedule.AfterRun(state, profile, Failed("PermissionMissing", T0 + 2 * Hour), SyncTrigger.Schedule, T0 + 2 * Hour, 1, 3);

        Assert.Equal(3, state.ConsecutiveFailures);
        Assert.Null(state.QuarantinedUntil);
    }

    [Fact]
    public void A_successful_manual_run_lifts_quarantine_and_counts_as_this_intervals_sync()
    {
        var profile = new SyncProfile { TenantId = "t" };
        var quarantined = new TenantSyncState
        {
            TenantId = "t",
            ConsecutiveFailures = 5,
            LastFailureKind = "InvalidCredentials",
            QuarantinedUntil = T0 + TimeSpan.FromHours(12),
            NextRunAt = T0 + TimeSpan.FromHours(12),
            ProfileVersion = TenantSchedule.Stamp(profile),
        };

        var state = TenantSchedule.AfterRun(quarantined, profile, Succeeded(T0), SyncTrigger.Manual, null, 0, 3);

        Assert.Null(state.QuarantinedUntil);
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.Null(state.LastFailureKind);
        Assert.Equal(T0, state.LastSuccessAt);
        Assert.Equal(T0 + TimeSpan.FromHours(2), state.NextRunAt);
    }

    [Fact]
    public void A_profile_change_forgets_failures_and_makes_the_tenant_due()
    {
        var profile = new SyncProfile { TenantId = "t", Version = "1" };
        var quarantined = new TenantSyncState { TenantId = "t", ConsecutiveFailures = 4, QuarantinedUntil = T0 + 6 * Hour, NextRunAt = T0 + 6 * Hour, ProfileVersion = TenantSchedule.Stamp(profile) };
        profile.Version = "2";

        var state = TenantSchedule.Reconfigured(quarantined, TenantSchedule.Stamp(profile), profile, T0);

        Assert.Null(state.QuarantinedUntil);
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.Equal(T0, state.NextRunAt);
        Assert.Equal("v:2", state.ProfileVersion);
    }

    [Fact]
    public void Without_a_version_the_stamp_follows_the_content_including_a_rotated_secret()
    {
        var profile = new SyncProfile { TenantId = "t" };
        profile.Connection.ClientSecret = "old";
        var before = TenantSchedule.Stamp(profile);
        Assert.Equal(before, TenantSchedule.Stamp(profile));

        profile.Connection.ClientSecret = "new";

        Assert.NotEqual(before, TenantSchedule.Stamp(profile));
        Assert.DoesNotContain("new", TenantSchedule.Stamp(profile), StringComparison.Ordinal);
    }

    private static SyncReport Failed(string kind, DateTimeOffset at) => new()
    {
        TenantId = "t",
        RunId = Guid.NewGuid().ToString("N"),
        Outcome = kind == "IncompleteRead" ? SyncOutcome.PartiallySucceeded : SyncOutcome.Failed,
        FailureKind = kind,
        StartedAt = at,
        FinishedAt = at,
        Errors = ["the secret is wrong"],
    };

    private static SyncReport Succeeded(DateTimeOffset at) => new()
    {
        TenantId = "t",
        RunId = Guid.NewGuid().ToString("N"),
        Outcome = SyncOutcome.Succeeded,
        Mode = SyncMode.Incremental,
        IsReadComplete = true,
        StartedAt = at,
        FinishedAt = at,
    };
}
