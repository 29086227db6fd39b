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
