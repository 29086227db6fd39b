namespace EntraSync.EntityFrameworkCore;

/// <summary>
/// One employee change event in the outbox, written in the same transaction as the change. Table
/// <c>EntraSyncChangeEvents</c>, keyed by (tenant, sequence).
/// </summary>
public sealed class EmployeeChangeEventEntry
{
    /// <summary>Gets or sets the tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets the event's sequence number in the tenant's feed.</summary>
    public long Sequence { get; set; }

    /// <summary>Gets or sets the run that applied the change.</summary>
    public string RunId { get; set; } = "";

    /// <summary>Gets or sets what happened, as the <see cref="EmployeeChangeKind"/> name.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Gets or sets the directory object id.</summary>
    public string DirectoryId { get; set; } = "";

    /// <summary>Gets or sets the employee's key in the store, as text.</summary>
    public string? EmployeeKey { get; set; }

    /// <summary>Gets or sets the employee's email after the change.</summary>
    public string? Email { get; set; }

    /// <summary>Gets or sets the changed fields with old and new values, as JSON, or <see langword="null"/> for none.</summary>
    public string? ChangedFields { get; set; }

    /// <summary>Gets or sets when sync decided the change (UTC).</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Gets or sets why the change was made, in words.</summary>
    public string? Reason { get; set; }
}

/// <summary>A tenant's last given sequence number, so numbers are never reused after old events are removed. Table <c>EntraSyncChangeFeedPositions</c>.</summary>
public sealed class ChangeFeedPositionEntry
{
    /// <summary>Gets or sets the tenant (the key).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets the last sequence number given to an event of the tenant.</summary>
    public long LastSequence { get; set; }
}

/// <summary>The last event a handler acknowledged for a tenant. Table <c>EntraSyncChangeFeedAcknowledgements</c>, keyed by (tenant, handler).</summary>
public sealed class ChangeFeedAcknowledgementEntry
{
    /// <summary>Gets or sets the tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets the handler's name.</summary>
    public string Handler { get; set; } = "";

    /// <summary>Gets or sets the last sequence the handler acknowledged.</summary>
    public long Sequence { get; set; }
}
