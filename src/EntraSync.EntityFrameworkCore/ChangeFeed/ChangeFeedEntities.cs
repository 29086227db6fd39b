namespace EntraSync.EntityFrameworkCore;

/// <summary>
/// The change events of one committed batch in the outbox, written in the same transaction as the batch: one row per
/// batch, not per event, so the outbox costs one INSERT per batch. Table <c>EntraSyncChangeEventBatches</c>, keyed by
/// (tenant, first sequence).
/// </summary>
public sealed class ChangeEventBatchEntry
{
    /// <summary>Gets or sets the tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets the sequence number of the batch's first event.</summary>
    public long FirstSequence { get; set; }

    /// <summary>Gets or sets the sequence number of the batch's last event.</summary>
    public long LastSequence { get; set; }

    /// <summary>Gets or sets the run that applied the batch.</summary>
    public string RunId { get; set; } = "";

    /// <summary>Gets or sets when sync decided the batch's last change (UTC): retention goes by it.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>
    /// Gets or sets the events, in sequence order, as a JSON array holding each event's own part (the tenant, sequence
    /// numbers and run id are this row's columns). Read them with <see cref="IEmployeeChangeFeed.ReadChangesAsync"/>,
    /// which gives every <see cref="EmployeeChangeEvent"/> whole.
    /// </summary>
    public string Events { get; set; } = "";
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
