namespace EntraSync;

/// <summary>What one sync run did, or in a dry run would do: counts, per-user outcomes with reasons, warnings and errors.</summary>
public sealed class SyncReport
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets how the run ended.</summary>
    public required SyncOutcome Outcome { get; init; }

    /// <summary>
    /// Gets what started the run: "Sync now" (<see cref="SyncTrigger.Manual"/>), the schedule, an approval, or a Microsoft
    /// Graph change notification, so a page can say "updated 3 s ago by a change in Entra ID".
    /// </summary>
    /// <value>The default is <see cref="SyncTrigger.Manual"/> (also for runs recorded before this property existed).</value>
    public SyncTrigger Trigger { get; init; }

    /// <summary>Gets the kind of read the run asked for.</summary>
    public SyncMode RequestedMode { get; init; }

    /// <summary>Gets the kind of read the run did (a full read when an incremental one was not possible).</summary>
    public SyncMode Mode { get; init; }

    /// <summary>Gets why the run read everything although an incremental read was asked for, or <see langword="null"/>.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>Gets a value indicating whether the run only planned and wrote nothing.</summary>
    public bool IsDryRun { get; init; }

    /// <summary>
    /// Gets a value indicating whether the directory read completed. When <see langword="false"/>, nobody was removed
    /// and <see cref="Errors"/> says why.
    /// </summary>
    public bool IsReadComplete { get; init; }

    /// <summary>Gets when the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the run finished.</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>Gets how long the run took.</summary>
    public TimeSpan Duration => FinishedAt - StartedAt;

    /// <summary>Gets the count of each action.</summary>
    /// <value>The default is all zeros.</value>
    public SyncCounts Counts { get; init; } = new();

    /// <summary>
    /// Gets the outcome of every user the run changed, skipped, or would change (the plan, in a dry run). Unchanged
    /// users are only counted. The list stops at the profile's report limit; <see cref="IsUserListTruncated"/> says so.
    /// </summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<UserOutcome> Users { get; init; } = [];

    /// <summary>Gets a value indicating whether <see cref="Users"/> was cut at the report limit (the counts are still complete).</summary>
    public bool IsUserListTruncated { get; init; }

    /// <summary>Gets directory values for the unit that matched no unit, with how many users had each.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, int> UnmatchedUnitValues { get; init; } = new Dictionary<string, int>();

    /// <summary>Gets directory values for user types that matched no user type, with how many users had each.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, int> UnmatchedUserTypeValues { get; init; } = new Dictionary<string, int>();

    /// <summary>Gets the id of the removals this run staged for approval, or <see langword="null"/>.</summary>
    public string? StagedRemovalsId { get; init; }

    /// <summary>Gets warnings: things an admin may want to fix that did not stop the run.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets errors: what stopped the run or its removals, in words an IT admin can act on.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Gets the kind of failure when <see cref="Outcome"/> is <see cref="SyncOutcome.Failed"/> (for example <c>PermissionMissing</c>), or <see langword="null"/>.</summary>
    public string? FailureKind { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{TenantId} {Outcome} ({Mode}{(IsDryRun ? ", dry run" : "")}): {Counts}";
}
