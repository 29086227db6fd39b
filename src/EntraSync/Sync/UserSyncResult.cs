namespace EntraSync;

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
