namespace EntraSync.EntityFrameworkCore;

/// <summary>A tenant's checkpoint (for Graph, the delta link), one row per tenant. Table <c>EntraSyncCheckpoints</c>.</summary>
public sealed class SyncCheckpointEntry
{
    /// <summary>Gets or sets the tenant (the key).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets the source's opaque position.</summary>
    public string Value { get; set; } = "";

    /// <summary>Gets or sets the fingerprint of what the read selected.</summary>
    public string? Fingerprint { get; set; }

    /// <summary>Gets or sets when the checkpoint was taken (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when the last complete full read finished (UTC), or <see langword="null"/>.</summary>
    public DateTimeOffset? LastFullReadAt { get; set; }
}

/// <summary>One run's report, newest kept per tenant. Table <c>EntraSyncRuns</c>.</summary>
public sealed class SyncRunEntry
{
    /// <summary>Gets or sets the row id (increasing: newer runs have larger ids).</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets the run id.</summary>
    public string RunId { get; set; } = "";

    /// <summary>Gets or sets the outcome, as the <see cref="SyncOutcome"/> name.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>Gets or sets when the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Gets or sets when the run finished (UTC).</summary>
    public DateTimeOffset FinishedAt { get; set; }

    /// <summary>Gets or sets the whole <see cref="SyncReport"/> as JSON.</summary>
    public string Report { get; set; } = "";
}

/// <summary>A set of staged removals waiting for (or given) a decision. Table <c>EntraSyncStagedRemovals</c>.</summary>
public sealed class StagedRemovalsEntry
{
    /// <summary>Gets or sets the id of the set (the key).</summary>
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets the run that staged them.</summary>
    public string RunId { get; set; } = "";

    /// <summary>Gets or sets when they were staged (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets the decision, as the <see cref="StagedRemovalsStatus"/> name.</summary>
    public string Status { get; set; } = "";

    /// <summary>Gets or sets the threshold that was crossed, in words.</summary>
    public string? Reason { get; set; }

    /// <summary>Gets or sets when the decision was taken (UTC), or <see langword="null"/>.</summary>
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Gets or sets who took the decision, or <see langword="null"/>.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>Gets or sets the removals (a list of <see cref="StagedRemoval"/>) as JSON.</summary>
    public string Removals { get; set; } = "";
}

/// <summary>A tenant's scheduling and health state, one row per tenant. Table <c>EntraSyncTenantStates</c>.</summary>
public sealed class TenantSyncStateEntry
{
    /// <summary>Gets or sets the tenant (the key).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets when the next incremental run is due (UTC).</summary>
    public DateTimeOffset? NextRunAt { get; set; }

    /// <summary>Gets or sets when the next full read is due (UTC).</summary>
    public DateTimeOffset? NextFullRunAt { get; set; }

    /// <summary>Gets or sets when the last run finished (UTC).</summary>
    public DateTimeOffset? LastRunAt { get; set; }

    /// <summary>Gets or sets when the last successful run finished (UTC).</summary>
    public DateTimeOffset? LastSuccessAt { get; set; }

    /// <summary>Gets or sets how many runs in a row failed.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Gets or sets the kind of the last failure.</summary>
    public string? LastFailureKind { get; set; }

    /// <summary>Gets or sets the message of the last failure.</summary>
    public string? LastFailureMessage { get; set; }

    /// <summary>Gets or sets until when the tenant is quarantined (UTC).</summary>
    public DateTimeOffset? QuarantinedUntil { get; set; }

    /// <summary>Gets or sets the profile version the state was computed for.</summary>
    public string? ProfileVersion { get; set; }
}

/// <summary>A tenant's run lease: who runs it now, until when. Table <c>EntraSyncRunLeases</c>.</summary>
public sealed class SyncRunLeaseEntry
{
    /// <summary>Gets or sets the tenant (the key).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets the run holding the lease, or <see langword="null"/> when released.</summary>
    public string? Owner { get; set; }

    /// <summary>Gets or sets when the lease expires (UTC).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Gets or sets a number increased on every change, so two processes cannot both take the lease.</summary>
    public long Version { get; set; }
}
