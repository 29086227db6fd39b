namespace EntraSync;

/// <summary>The scheduling and health state EntraSync keeps per tenant, so a restart neither skips nor doubles runs.</summary>
public sealed class TenantSyncState
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets when the next incremental run is due, or <see langword="null"/> when not scheduled yet.</summary>
    public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>Gets when the next full read is due, or <see langword="null"/>.</summary>
    public DateTimeOffset? NextFullRunAt { get; init; }

    /// <summary>Gets when the last run finished, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>Gets when the last successful run finished, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Gets how many runs in a row failed.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Gets the kind of the last failure (for example <c>InvalidClientSecret</c>), or <see langword="null"/>.</summary>
    public string? LastFailureKind { get; init; }

    /// <summary>Gets the message of the last failure, or <see langword="null"/>.</summary>
    public string? LastFailureMessage { get; init; }

    /// <summary>Gets until when the tenant is quarantined after repeated failures, or <see langword="null"/>.</summary>
    public DateTimeOffset? QuarantinedUntil { get; init; }

    /// <summary>Gets the version of the profile the state was computed for; a change lifts quarantine.</summary>
    public string? ProfileVersion { get; init; }
}
