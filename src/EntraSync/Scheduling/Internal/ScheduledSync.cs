using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EntraSync.Scheduling.Internal;

/// <summary>
/// The built-in scheduler's per-tenant step, shared with other schedulers (EntraSync.Quartz): reads the tenant's
/// <see cref="TenantSyncState"/>, records a first slot or a profile change, and runs the slot when it is due.
/// </summary>
internal sealed partial class ScheduledSync : IScheduledSync
{
    private readonly IEntraUserSync _sync;
    private readonly ISyncStateStore _state;
    private readonly IOptionsMonitor<EntraSyncSchedulerOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ScheduledSync(
        IEntraUserSync sync,
        ISyncStateStore state,
        IOptionsMonitor<EntraSyncSchedulerOptions> options,
        TimeProvider time,
        ILoggerFactory? loggerFactory = null)
    {
        _sync = sync;
        _state = state;
        _options = options;
        _time = time;

        // Logged under the scheduler's category, where these events have always been.
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SyncScheduler>();
    }

    public async ValueTask<ScheduledSyncResult> PlanAsync(SyncProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var now = _time.GetUtcNow();
        var state = await PlannedStateAsync(profile, now, cancellationToken).ConfigureAwait(false);
        return Waiting(state);
    }

    public async ValueTask<ScheduledSyncResult> RunIfDueAsync(SyncProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var now = _time.GetUtcNow();
        var state = await PlannedStateAsync(profile, now, cancellationToken).ConfigureAwait(false);
        if (state.QuarantinedUntil > now || state.NextRunAt > now)
        {
            return Waiting(state);
        }

        var slot = state.NextRunAt!.Value;
        var full = profile.Schedule.FullSyncInterval > TimeSpan.Zero && state.NextFullRunAt is { } f && f <= now;
        var report = await _sync.SyncAsync(profile, new SyncRunOptions
        {
            Mode = full ? SyncMode.Full : SyncMode.Incremental,
            Trigger = SyncTrigger.Schedule,
            ScheduledFor = slot,
        }, cancellationToken).ConfigureAwait(false);

        if (report.Outcome == SyncOutcome.AlreadyRunning)
        {
            // A manual run (or a run elsewhere) holds the tenant; look again shortly (it moves the schedule on when it succeeds).
            return new ScheduledSyncResult { Report = report, NextDueAt = now + _options.CurrentValue.PollInterval, QuarantinedUntil = state.QuarantinedUntil };
        }

        if (report.Outcome == SyncOutcome.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // The slot stays due, so a restart runs it rather than skipping it.
            return new ScheduledSyncResult { Report = report, NextDueAt = slot, QuarantinedUntil = state.QuarantinedUntil };
        }

        var after = await _state.GetTenantStateAsync(profile.TenantId, CancellationToken.None).ConfigureAwait(false);
        var finished = _time.GetUtcNow();
        var due = after?.NextRunAt is { } n && n > finished ? n : TenantSchedule.NextSlot(slot, TenantSchedule.IntervalOf(profile), finished);
        return new ScheduledSyncResult { Report = report, NextDueAt = due, QuarantinedUntil = after?.QuarantinedUntil };
    }

    private static ScheduledSyncResult Waiting(TenantSyncState state)
    {
        var due = state.NextRunAt!.Value;
        if (state.QuarantinedUntil is { } q && q > due)
        {
            due = q;
        }

        return new ScheduledSyncResult { NextDueAt = due, QuarantinedUntil = state.QuarantinedUntil };
    }

    /// <summary>The tenant's state with a next run time: a first slot within the jitter, or forgiven failures after a profile change.</summary>
    private async Task<TenantSyncState> PlannedStateAsync(SyncProfile profile, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stamp = TenantSchedule.Stamp(profile);
        var state = await _state.GetTenantStateAsync(profile.TenantId, cancellationToken).ConfigureAwait(false);
        if (state?.NextRunAt is null)
        {
            // First sight of the tenant: start at a random point within the jitter so tenants added together spread out.
            var first = now + Jitter(_options.CurrentValue.Jitter, TenantSchedule.IntervalOf(profile));
            state = state is null
                ? new TenantSyncState { TenantId = profile.TenantId, NextRunAt = first, ProfileVersion = stamp }
                : TenantSchedule.Copy(state, nextRunAt: first, profileVersion: state.ProfileVersion ?? stamp);
            await _state.SaveTenantStateAsync(state, cancellationToken).ConfigureAwait(false);
            Log.Scheduled(_logger, profile.TenantId, first);
        }
        else if (!string.Equals(state.ProfileVersion, stamp, StringComparison.Ordinal))
        {
            var held = state.QuarantinedUntil is not null;
            state = state.ProfileVersion is null
                ? TenantSchedule.Copy(state, profileVersion: stamp)
                : TenantSchedule.Reconfigured(state, stamp, profile, now);
            await _state.SaveTenantStateAsync(state, cancellationToken).ConfigureAwait(false);
            Log.Reconfigured(_logger, profile.TenantId, held);
        }

        return state;
    }

    private static TimeSpan Jitter(TimeSpan jitter, TimeSpan interval)
    {
        var max = jitter < interval ? jitter : interval;
        return max <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Random.Shared.NextInt64(max.Ticks));
    }

    private static partial class Log
    {
        [LoggerMessage(104, LogLevel.Information, "Tenant {TenantId} scheduled: first run at {At:u}")]
        public static partial void Scheduled(ILogger logger, string tenantId, DateTimeOffset at);

        [LoggerMessage(105, LogLevel.Information, "The profile of tenant {TenantId} changed; failures forgotten (quarantine lifted: {WasQuarantined})")]
        public static partial void Reconfigured(ILogger logger, string tenantId, bool wasQuarantined);
    }
}
