namespace EntraSync;

/// <summary>
/// One tenant's scheduled sync under the built-in scheduler's rules — the first slot spread by
/// <see cref="EntraSyncSchedulerOptions.Jitter"/>, slots on the tenant's grid without drift, the daily full read, a
/// profile change lifting a quarantine, quarantine and back-off — for a host that brings its own scheduler (for
/// example <c>EntraSync.Quartz</c>). The schedule lives in <see cref="ISyncStateStore"/>; the caller only decides when
/// to ask again. Registered by <c>AddEntraUserSync</c>.
/// </summary>
public interface IScheduledSync
{
    /// <summary>
    /// Plans the tenant without running it: records its first slot (with jitter) or a profile change, and says when
    /// it is next due.
    /// </summary>
    /// <param name="profile">The tenant's profile.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>When the tenant is next due; <see cref="ScheduledSyncResult.Report"/> is <see langword="null"/>.</returns>
    ValueTask<ScheduledSyncResult> PlanAsync(SyncProfile profile, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs the tenant's due slot (incremental, or full when the full read is due) unless it is quarantined or not
    /// due yet, and says when it is next due.
    /// </summary>
    /// <param name="profile">The tenant's profile.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The run's report (or <see langword="null"/> when nothing ran) and when the tenant is next due.</returns>
    ValueTask<ScheduledSyncResult> RunIfDueAsync(SyncProfile profile, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IScheduledSync"/> did for a tenant and when to ask again.</summary>
public sealed class ScheduledSyncResult
{
    /// <summary>Gets the report of the run, or <see langword="null"/> when nothing ran (not due, or quarantined).</summary>
    public SyncReport? Report { get; init; }

    /// <summary>
    /// Gets when the tenant is next due: its next slot, the end of its quarantine, or
    /// <see cref="EntraSyncSchedulerOptions.PollInterval"/> from now when another run held the tenant.
    /// </summary>
    public required DateTimeOffset NextDueAt { get; init; }

    /// <summary>Gets when the tenant's quarantine ends, or <see langword="null"/> when it is not quarantined.</summary>
    public DateTimeOffset? QuarantinedUntil { get; init; }
}
