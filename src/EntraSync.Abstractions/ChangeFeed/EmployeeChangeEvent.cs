namespace EntraSync;

/// <summary>
/// One applied change to one employee, as the change feed hands it to the host: what happened (<see cref="Kind"/>),
/// to whom (<see cref="DirectoryId"/>, <see cref="EmployeeKey"/>), in which run, and its place in the tenant's feed
/// (<see cref="Sequence"/>).
/// </summary>
/// <remarks>
/// Events exist only for changes a store committed: a dry run, a rerun over an unchanged directory and a refused batch
/// make none. Delivery is at least once: a handler may see an event again after a crash or a replay, so act on
/// <see cref="TenantId"/> + <see cref="Sequence"/> idempotently.
/// </remarks>
public sealed class EmployeeChangeEvent
{
    private static readonly IReadOnlyList<FieldChange> NoChanges = [];

    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the event's position in the tenant's feed: 1 for the first event, then one more for every event, never reused.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets the id of the run that applied the change.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets what happened to the employee.</summary>
    public required EmployeeChangeKind Kind { get; init; }

    /// <summary>Gets the directory object id of the employee's user.</summary>
    public required string DirectoryId { get; init; }

    /// <summary>
    /// Gets the store's key of the employee, or <see langword="null"/> when the feed does not know it (a
    /// <see cref="EmployeeChangeKind.Create"/> recorded outside the store's transaction: the key is the store's to give).
    /// </summary>
    public string? EmployeeKey { get; init; }

    /// <summary>Gets the employee's email after the change, or <see langword="null"/> for removals and users without one.</summary>
    public string? Email { get; init; }

    /// <summary>
    /// Gets the fields that changed with their old and new values: for <see cref="EmployeeChangeKind.Create"/> every
    /// field with a value (old value <see langword="null"/>); empty for removals.
    /// </summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<FieldChange> ChangedFields { get; init; } = NoChanges;

    /// <summary>Gets when sync decided the change (the run's clock).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Gets why the change was made, in words (for example "not in the directory any more"), or <see langword="null"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>Describes a committed <paramref name="change"/> as an event: for stores that write their own outbox.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="sequence">The event's sequence number in the tenant's feed.</param>
    /// <param name="runId">The run that applied the change (the run lease's <see cref="RunLease.Owner"/>).</param>
    /// <param name="change">The applied change.</param>
    /// <param name="employeeKey">The employee's key in the store, when known (for a create, the key the store just gave it).</param>
    /// <returns>The event.</returns>
    public static EmployeeChangeEvent FromChange(string tenantId, long sequence, string runId, EmployeeChange change, string? employeeKey = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(change);
        return new EmployeeChangeEvent
        {
            TenantId = tenantId,
            Sequence = sequence,
            RunId = runId,
            Kind = change.Kind,
            DirectoryId = change.DirectoryId,
            EmployeeKey = employeeKey ?? change.Key,
            Email = change.Record?.Email,
            ChangedFields = change.Kind == EmployeeChangeKind.Create ? CreatedFields(change.Record) : change.ChangedFields,
            OccurredAt = change.Timestamp,
            Reason = change.Reason,
        };
    }

    private static IReadOnlyList<FieldChange> CreatedFields(EmployeeRecord? record)
    {
        if (record is null || record.Fields.Count == 0)
        {
            return NoChanges;
        }

        var fields = new List<FieldChange>(record.Fields.Count);
        foreach (var (field, value) in record.Fields)
        {
            if (value is not null)
            {
                fields.Add(new FieldChange { Field = field, NewValue = value });
            }
        }

        return fields;
    }

    /// <inheritdoc />
    public override string ToString() => $"{TenantId}#{Sequence} {Kind} {DirectoryId}";
}
