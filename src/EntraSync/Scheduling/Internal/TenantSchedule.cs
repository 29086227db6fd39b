using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EntraSync.Scheduling.Internal;

/// <summary>
/// The rules that move a tenant's <see cref="TenantSyncState"/> on after a run: next slots without drift, the full-read
/// cadence, failures in a row, and quarantine with back-off. Pure functions, so the rules are tested without a clock.
/// </summary>
internal static class TenantSchedule
{
    /// <summary>How long a quarantined tenant waits: the first time, then each further failure, then daily.</summary>
    public static readonly IReadOnlyList<TimeSpan> Backoff = [TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromHours(24)];

    /// <summary>The failure kinds that say the tenant is misconfigured rather than the network or Graph having a bad moment.</summary>
    public static bool IsLasting(string? failureKind) => failureKind is not (null
        or nameof(DirectoryErrorKind.Throttled) or nameof(DirectoryErrorKind.Unavailable) or nameof(DirectoryErrorKind.InvalidResponse)
        or "IncompleteRead" or nameof(SyncOutcome.Cancelled));

    /// <summary>The quarantine for the <paramref name="consecutiveFailures"/>th failure in a row, once the threshold is reached.</summary>
    public static TimeSpan QuarantineFor(int consecutiveFailures, int threshold) =>
        Backoff[Math.Clamp(consecutiveFailures - threshold, 0, Backoff.Count - 1)];

    /// <summary>The first slot after <paramref name="now"/> on the grid <paramref name="slot"/> + k × <paramref name="interval"/> (k ≥ 1): missed slots are not run twice.</summary>
    public static DateTimeOffset NextSlot(DateTimeOffset slot, TimeSpan interval, DateTimeOffset now)
    {
        var next = slot + interval;
        if (next > now)
        {
            return next;
        }

        var behind = (now - slot).Ticks / interval.Ticks;
        return slot + TimeSpan.FromTicks(interval.Ticks * (behind + 1));
    }

    /// <summary>The profile's interval, or the default 2 hours when the profile's is too short to use (an invalid profile).</summary>
    public static TimeSpan IntervalOf(SyncProfile profile) =>
        profile.Schedule.Interval >= TimeSpan.FromMinutes(1) ? profile.Schedule.Interval : new ScheduleOptions().Interval;

    /// <summary>A stamp that changes when the profile changes: its <see cref="SyncProfile.Version"/>, or a hash of its content.</summary>
    public static string Stamp(SyncProfile profile)
    {
        if (!string.IsNullOrWhiteSpace(profile.Version))
        {
            return "v:" + profile.Version;
        }

        // Secrets are part of the content on purpose: a rotated secret is the usual fix for a quarantined tenant.
        byte[] json;
        try
        {
            json = JsonSerializer.SerializeToUtf8Bytes(profile);
        }
        catch (NotSupportedException)
        {
            // A profile part that cannot be serialized: without a hash only a Version change is noticed.
            return "h:unversioned";
        }

        return "h:" + Convert.ToHexString(SHA256.HashData(json).AsSpan(0, 12));
    }

    /// <summary>The state after a profile change: failures and quarantine are forgotten, and the tenant is due now.</summary>
    public static TenantSyncState Reconfigured(TenantSyncState state, string stamp, SyncProfile profile, DateTimeOffset now)
    {
        var wasHeld = state.QuarantinedUntil is not null || state.ConsecutiveFailures > 0;
        var interval = IntervalOf(profile);
        var nextRun = wasHeld ? now : state.NextRunAt is { } n && n > now + interval ? now + interval : state.NextRunAt;
        return Copy(state, nextRunAt: nextRun, consecutiveFailures: 0, lastFailureKind: null, lastFailureMessage: null, quarantinedUntil: null, profileVersion: stamp, clearFailure: true, clearQuarantine: true);
    }

    /// <summary>The state after a run (not a dry run).</summary>
    /// <param name="previous">The state before, or <see langword="null"/>.</param>
    /// <param name="profile">The profile the run used.</param>
    /// <param name="report">The run's report.</param>
    /// <param name="trigger">What started the run.</param>
    /// <param name="scheduledFor">The slot of a scheduled run.</param>
    /// <param name="sameReasonInARow">How many of the newest runs in a row failed for the report's reason (this one included).</param>
    /// <param name="threshold">Failures in a row for the same lasting reason before quarantine.</param>
    public static TenantSyncState AfterRun(
        TenantSyncState? previous,
        SyncProfile profile,
        SyncReport report,
        SyncTrigger trigger,
        DateTimeOffset? scheduledFor,
        int sameReasonInARow,
        int threshold)
    {
        var stamp = Stamp(profile);
        var state = previous ?? new TenantSyncState { TenantId = profile.TenantId, ProfileVersion = stamp };
        if (!string.Equals(state.ProfileVersion, stamp, StringComparison.Ordinal))
        {
            state = Copy(state, consecutiveFailures: 0, clearFailure: true, clearQuarantine: true, profileVersion: stamp);
        }

        var finished = report.FinishedAt;
        var interval = IntervalOf(profile);
        var fullInterval = profile.Schedule.FullSyncInterval;
        var anchor = scheduledFor ?? finished;
        var nextRun = state.NextRunAt;
        if (scheduledFor is { } slot)
        {
            nextRun = NextSlot(slot, interval, finished);
        }

        var nextFull = state.NextFullRunAt;
        if (fullInterval <= TimeSpan.Zero)
        {
            nextFull = null;
        }
        else if ((report.Mode == SyncMode.Full && report.IsReadComplete) || nextFull is null)
        {
            nextFull = anchor + fullInterval;
        }

        switch (report.Outcome)
        {
            case SyncOutcome.Succeeded:
                if (scheduledFor is null && (state.QuarantinedUntil is not null || nextRun is null || nextRun < finished + interval))
                {
                    // "Sync now" counts as the tenant's sync for this interval: the schedule goes on from here (and a
                    // quarantine's late next run no longer applies).
                    nextRun = finished + interval;
                }

                return Copy(state, nextRunAt: nextRun, nextFullRunAt: nextFull, lastRunAt: finished, lastSuccessAt: finished,
                    consecutiveFailures: 0, clearFailure: true, clearQuarantine: true, profileVersion: stamp, clearNextFull: nextFull is null);

            case SyncOutcome.Failed or SyncOutcome.PartiallySucceeded:
                var failures = state.ConsecutiveFailures + 1;
                var kind = report.FailureKind ?? report.Outcome.ToString();
                var message = report.Errors.Count > 0 ? report.Errors[0] : null;
                DateTimeOffset? quarantinedUntil = null;
                if (IsLasting(kind) && failures >= threshold && sameReasonInARow >= threshold)
                {
                    quarantinedUntil = finished + QuarantineFor(failures, threshold);
                    nextRun = nextRun is { } n && n > quarantinedUntil ? n : quarantinedUntil;
                }

                return Copy(state, nextRunAt: nextRun, nextFullRunAt: nextFull, lastRunAt: finished, consecutiveFailures: failures,
                    lastFailureKind: kind, lastFailureMessage: message, quarantinedUntil: quarantinedUntil, clearQuarantine: quarantinedUntil is null,
                    profileVersion: stamp, clearNextFull: nextFull is null);

            default:
                // Cancelled: the slot stays due, so a restart runs it rather than skipping it.
                return Copy(state, lastRunAt: finished, profileVersion: stamp);
        }
    }

    public static TenantSyncState Copy(
        TenantSyncState s,
        DateTimeOffset? nextRunAt = null,
        DateTimeOffset? nextFullRunAt = null,
        DateTimeOffset? lastRunAt = null,
        DateTimeOffset? lastSuccessAt = null,
        int? consecutiveFailures = null,
        string? lastFailureKind = null,
        string? lastFailureMessage = null,
        DateTimeOffset? quarantinedUntil = null,
        string? profileVersion = null,
        bool clearFailure = false,
        bool clearQuarantine = false,
        bool clearNextFull = false) => new()
        {
            TenantId = s.TenantId,
            NextRunAt = nextRunAt ?? s.NextRunAt,
            NextFullRunAt = clearNextFull ? null : nextFullRunAt ?? s.NextFullRunAt,
            LastRunAt = lastRunAt ?? s.LastRunAt,
            LastSuccessAt = lastSuccessAt ?? s.LastSuccessAt,
            ConsecutiveFailures = consecutiveFailures ?? s.ConsecutiveFailures,
            LastFailureKind = lastFailureKind ?? (clearFailure ? null : s.LastFailureKind),
            LastFailureMessage = lastFailureMessage ?? (clearFailure ? null : s.LastFailureMessage),
            QuarantinedUntil = quarantinedUntil ?? (clearQuarantine ? null : s.QuarantinedUntil),
            ProfileVersion = profileVersion ?? s.ProfileVersion,
        };
}
