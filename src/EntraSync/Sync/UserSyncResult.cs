namespace EntraSync;

/// <summary>How to sync one user.</summary>
public sealed class UserSyncOptions
{
    /// <summary>Gets a value indicating whether to plan only: the result says what would change, and nothing is written.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool DryRun { get; init; }
}

/// <summary>What a single-user sync did, step by step (read, scope, match, plan, apply).</summary>
public sealed class UserSyncResult
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the run's id (in logs too).</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the user as asked for: object id, user principal name or email.</summary>
    public required string User { get; init; }

    /// <summary>Gets how the sync ended.</summary>
    public required UserSyncOutcome Outcome { get; init; }

    /// <summary>Gets the directory object id, when the user was found (or asked for by id).</summary>
    public string? DirectoryId { get; init; }

    /// <summary>Gets the user's resolved email, when known.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the action planned (applied unless <see cref="IsDryRun"/>), or <see langword="null"/> when nothing was to change.</summary>
    public UserAction? Action { get; init; }

    /// <summary>Gets a value indicating whether the sync only planned.</summary>
    public bool IsDryRun { get; init; }

    /// <summary>Gets the steps, in order. A step that was not reached is not listed.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<UserSyncStep> Steps { get; init; } = [];

    /// <summary>Gets the user's outcome as a full run would report it, or <see langword="null"/> when unchanged or not reached.</summary>
    public UserOutcome? UserOutcome { get; init; }

    /// <summary>Gets what stopped the sync, in words an IT admin can act on.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"{TenantId} {User}: {Outcome} {Action}".TrimEnd();
}

/// <summary>One step of a single-user sync.</summary>
public sealed class UserSyncStep
{
    /// <summary>Gets which step.</summary>
    public required UserSyncStepKind Kind { get; init; }

    /// <summary>Gets how the step went.</summary>
    public required UserSyncStepStatus Status { get; init; }

    /// <summary>Gets what the step found or did, in words.</summary>
    public required string Detail { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Status} - {Detail}";
}

/// <summary>The steps of a single-user sync.</summary>
public enum UserSyncStepKind
{
    /// <summary>Read the user from the directory.</summary>
    Read,

    /// <summary>Decide whether the user is in the tenant's scope (filters, mandatory fields).</summary>
    Scope,

    /// <summary>Find the employee: linked by directory object id, or a local employee with the same email.</summary>
    Match,

    /// <summary>Decide the action: create, link, update, reactivate, remove, or nothing.</summary>
    Plan,

    /// <summary>Write the change to the employee store.</summary>
    Apply,
}

/// <summary>How a step of a single-user sync went.</summary>
public enum UserSyncStepStatus
{
    /// <summary>The step passed: found, in scope, planned, applied.</summary>
    Succeeded,

    /// <summary>The step decided against going on (not found, out of scope, skipped) or had nothing to do.</summary>
    Skipped,

    /// <summary>The step failed; see the detail.</summary>
    Failed,
}

/// <summary>How a single-user sync ended.</summary>
public enum UserSyncOutcome
{
    /// <summary>Every step ran; the result says what changed (possibly nothing).</summary>
    Succeeded,

    /// <summary>The directory has no such user, and nothing was removed (looked up by UPN or email, which does not prove the user left).</summary>
    NotFound,

    /// <summary>A step failed; see the errors.</summary>
    Failed,

    /// <summary>The tenant is syncing; try again when it has finished.</summary>
    AlreadyRunning,

    /// <summary>The tenant's profile is disabled.</summary>
    Disabled,
}
