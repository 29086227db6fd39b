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

/// <summary>How a sync run ended.</summary>
public enum SyncOutcome
{
    /// <summary>The run read the directory completely and applied (or planned) every change.</summary>
    Succeeded,

    /// <summary>The run applied what it could but the read was incomplete, so nobody was removed; see the errors.</summary>
    PartiallySucceeded,

    /// <summary>The run failed; see the errors. Changes applied before the failure are kept; nobody was removed.</summary>
    Failed,

    /// <summary>The run was cancelled; nobody was removed.</summary>
    Cancelled,

    /// <summary>Another run for the tenant was in progress, so this one did not start.</summary>
    AlreadyRunning,

    /// <summary>The tenant's profile is disabled, so nothing ran.</summary>
    Disabled,
}

/// <summary>How many users each action touched in one run.</summary>
public sealed class SyncCounts
{
    /// <summary>Gets users read from the directory.</summary>
    public int Read { get; init; }

    /// <summary>Gets employees created.</summary>
    public int Created { get; init; }

    /// <summary>Gets local employees linked to a directory user by email.</summary>
    public int Linked { get; init; }

    /// <summary>Gets employees whose fields changed.</summary>
    public int Updated { get; init; }

    /// <summary>Gets employees already up to date (no write).</summary>
    public int Unchanged { get; init; }

    /// <summary>Gets deactivated employees whose directory user came back.</summary>
    public int Reactivated { get; init; }

    /// <summary>Gets employees deactivated (soft deleted).</summary>
    public int Deactivated { get; init; }

    /// <summary>Gets employees deleted.</summary>
    public int Deleted { get; init; }

    /// <summary>Gets deactivated employees purged after the retention period.</summary>
    public int Purged { get; init; }

    /// <summary>Gets removals staged for approval instead of applied.</summary>
    public int Staged { get; init; }

    /// <summary>Gets users skipped (missing mandatory field, duplicate email, invalid record).</summary>
    public int Skipped { get; init; }

    /// <summary>Gets users out of the tenant's scope.</summary>
    public int OutOfScope { get; init; }

    /// <summary>Gets users imported without a unit or user type.</summary>
    public int Unassigned { get; init; }

    /// <summary>Gets employees whose removal the policy kept.</summary>
    public int Kept { get; init; }

    /// <summary>Gets the number of writes the run made or planned (every action except unchanged, skipped, out of scope and kept).</summary>
    public int Changes => Created + Linked + Updated + Reactivated + Deactivated + Deleted + Purged;

    /// <inheritdoc />
    public override string ToString() =>
        $"read {Read}, created {Created}, linked {Linked}, updated {Updated}, unchanged {Unchanged}, reactivated {Reactivated}, " +
        $"deactivated {Deactivated}, deleted {Deleted}, purged {Purged}, staged {Staged}, skipped {Skipped}, out of scope {OutOfScope}";
}

/// <summary>What happened to one user in a run.</summary>
public sealed class UserOutcome
{
    /// <summary>Gets the directory object id, or <see langword="null"/> for a record that had none.</summary>
    public string? DirectoryId { get; init; }

    /// <summary>Gets the resolved email, or <see langword="null"/>.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the display name, when known.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets what happened.</summary>
    public required UserAction Action { get; init; }

    /// <summary>Gets why, for skips, removals and scope exits: words an IT admin can act on.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the reason code for a skipped user, or <see langword="null"/>.</summary>
    public SkipReason? SkipReason { get; init; }

    /// <summary>Gets the fields that change, for updates.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<FieldChange> ChangedFields { get; init; } = [];

    /// <summary>Gets the assignment made, or <see langword="null"/> when matching did not run for the user.</summary>
    public EmployeeAssignment? Assignment { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Action} {DirectoryId} {Email} {Reason}".TrimEnd();
}

/// <summary>What happened to one user.</summary>
public enum UserAction
{
    /// <summary>Created as a new employee.</summary>
    Created,

    /// <summary>A local employee with the same email was linked.</summary>
    Linked,

    /// <summary>Fields updated.</summary>
    Updated,

    /// <summary>Reactivated after coming back.</summary>
    Reactivated,

    /// <summary>Deactivated (soft deleted).</summary>
    Deactivated,

    /// <summary>Deleted.</summary>
    Deleted,

    /// <summary>Purged after the retention period.</summary>
    Purged,

    /// <summary>Removal staged for approval.</summary>
    Staged,

    /// <summary>Removal kept by the removal policy.</summary>
    Kept,

    /// <summary>Skipped; see the reason.</summary>
    Skipped,

    /// <summary>Out of the tenant's scope.</summary>
    OutOfScope,
}

/// <summary>Why a user was skipped.</summary>
public enum SkipReason
{
    /// <summary>No email could be resolved.</summary>
    MissingEmail,

    /// <summary>A mandatory field other than email is empty.</summary>
    MissingMandatoryField,

    /// <summary>Another directory user in the tenant resolves to the same email.</summary>
    DuplicateEmail,

    /// <summary>The record could not be read or mapped.</summary>
    InvalidRecord,
}
