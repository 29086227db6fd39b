using EntraSync.Scheduling.Internal;

namespace EntraSync.Sync;

/// <summary>The tenant's scheduling state after a run (failures, quarantine, next run) and the run history.</summary>
internal sealed partial class SyncRunner
{
    /// <summary>Moves the tenant's scheduling state on after a run: failures, quarantine, next runs.</summary>
    private async Task RecordStateAsync(SyncProfile profile, SyncReport report, SyncRunOptions options)
    {
        var tenantId = profile.TenantId;
        try
        {
            var threshold = _schedulerOptions?.CurrentValue.QuarantineAfterFailures ?? 3;
            var previous = await _services.State.GetTenantStateAsync(tenantId, CancellationToken.None).ConfigureAwait(false);
            var sameReason = 0;
            if (report.Outcome is SyncOutcome.Failed or SyncOutcome.PartiallySucceeded)
            {
                var kind = FailureKindOf(report);
                foreach (var run in await _services.State.GetRunsAsync(tenantId, Math.Max(threshold, 1), CancellationToken.None).ConfigureAwait(false))
                {
                    if (run.Outcome is not (SyncOutcome.Failed or SyncOutcome.PartiallySucceeded) || !string.Equals(FailureKindOf(run), kind, StringComparison.Ordinal))
                    {
                        break;
                    }

                    sameReason++;
                }
            }

            var next = TenantSchedule.AfterRun(previous, profile, report, options.Trigger, options.ScheduledFor, sameReason, threshold);
            await _services.State.SaveTenantStateAsync(next, CancellationToken.None).ConfigureAwait(false);
            if (next.QuarantinedUntil is { } until && previous?.QuarantinedUntil != until)
            {
                Log.Quarantined(_logger, tenantId, report.RunId, next.ConsecutiveFailures, next.LastFailureKind ?? "", until);
            }
            else if (previous?.QuarantinedUntil is not null && next.QuarantinedUntil is null)
            {
                Log.QuarantineLifted(_logger, tenantId, report.RunId);
            }

            _stateChanges?.Publish(tenantId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The run itself is done and recorded; a state write that fails only costs scheduling precision.
            Log.StateNotSaved(_logger, ex, tenantId, report.RunId);
        }
    }

    private static string FailureKindOf(SyncReport report) => report.FailureKind ?? report.Outcome.ToString();

    public async Task<IReadOnlyList<SyncReport>> GetRunsAsync(string tenantId, int max = 50, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return max == 0 ? [] : await _services.State.GetRunsAsync(tenantId, max, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TenantSyncState?> GetTenantStateAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return await _services.State.GetTenantStateAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }
}
