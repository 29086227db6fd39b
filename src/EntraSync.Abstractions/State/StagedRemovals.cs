namespace EntraSync;

/// <summary>
/// Removals a run did not apply because they crossed the deletion threshold. They wait for a person to approve or reject them.
/// </summary>
public sealed class StagedRemovals
{
    /// <summary>Gets the id of this set of removals.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the run that staged them.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets when they were staged.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the removals.</summary>
    public required IReadOnlyList<StagedRemoval> Removals { get; init; }

    /// <summary>Gets the threshold that was crossed, in words.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the decision taken.</summary>
    /// <value>The default is <see cref="StagedRemovalsStatus.Pending"/>.</value>
    public StagedRemovalsStatus Status { get; init; } = StagedRemovalsStatus.Pending;

    /// <summary>Gets when the decision was taken, or <see langword="null"/> while pending.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Gets who took the decision, or <see langword="null"/>.</summary>
    public string? DecidedBy { get; init; }
}

/// <summary>One staged removal.</summary>
public sealed class StagedRemoval
{
    /// <summary>Gets the store key of the employee.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the directory object id.</summary>
    public required string DirectoryId { get; init; }

    /// <summary>Gets the employee's email, for people reviewing the list.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the action approval applies.</summary>
    public required RemovalAction Action { get; init; }

    /// <summary>Gets why the employee was to be removed.</summary>
    public required RemovalCause Cause { get; init; }
}

/// <summary>The decision on staged removals.</summary>
public enum StagedRemovalsStatus
{
    /// <summary>Waiting for a decision.</summary>
    Pending,

    /// <summary>Approved and applied.</summary>
    Approved,

    /// <summary>Rejected; nobody was removed.</summary>
    Rejected,

    /// <summary>
    /// Replaced by a later complete read of the directory: that read decided the removals afresh (staging a newer set,
    /// applying them under the thresholds, or finding the people back).
    /// </summary>
    Superseded,

    /// <summary>Not decided within <see cref="RemovalOptions.StagedRemovalsLifetime"/>; the next full read stages again whoever is still gone.</summary>
    Expired,
}
