namespace EntraSync;

/// <summary>Turns a directory user into the host's employee fields (First Name, Job Title, ...).</summary>
public interface IFieldMapper
{
    /// <summary>Gets the directory properties the mapping reads, so the source selects only those.</summary>
    /// <param name="context">The run.</param>
    /// <returns>Graph user property names.</returns>
    IReadOnlyCollection<string> GetRequiredProperties(SyncContext context);

    /// <summary>Maps one user.</summary>
    /// <param name="user">The directory user.</param>
    /// <param name="email">The user's resolved email, or <see langword="null"/> when none could be resolved.</param>
    /// <param name="context">The run.</param>
    /// <returns>The fields by name in field-map order; an empty value is <see langword="null"/>.</returns>
    /// <exception cref="FormatException">The record cannot be mapped; sync skips the user with the message as reason.</exception>
    IReadOnlyDictionary<string, string?> Map(DirectoryUser user, string? email, SyncContext context);
}

/// <summary>Decides which directory users are in scope for the tenant (client-side filtering).</summary>
public interface IUserFilter
{
    /// <summary>Gets the directory properties the filter reads.</summary>
    /// <param name="context">The run.</param>
    /// <returns>Graph user property names.</returns>
    IReadOnlyCollection<string> GetRequiredProperties(SyncContext context);

    /// <summary>Evaluates one user.</summary>
    /// <param name="user">The directory user.</param>
    /// <param name="context">The run.</param>
    /// <returns>In scope, or out of scope with the rule that excluded the user.</returns>
    ScopeDecision Evaluate(DirectoryUser user, SyncContext context);
}

/// <summary>Whether a user is in scope and, when not, why.</summary>
public sealed class ScopeDecision
{
    private ScopeDecision(bool isInScope, string? reason)
    {
        IsInScope = isInScope;
        Reason = reason;
    }

    /// <summary>Gets the decision that a user is in scope.</summary>
    public static ScopeDecision InScope { get; } = new(true, null);

    /// <summary>Gets a value indicating whether the user is in scope.</summary>
    public bool IsInScope { get; }

    /// <summary>Gets the rule that excluded the user, in words for the report; <see langword="null"/> when in scope.</summary>
    public string? Reason { get; }

    /// <summary>Creates the decision that a user is out of scope.</summary>
    /// <param name="reason">The rule that excluded the user, for example <c>accountEnabled is false (preset: disabled accounts)</c>.</param>
    /// <returns>The decision.</returns>
    public static ScopeDecision OutOfScope(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(false, reason);
    }
}

/// <summary>Matches a directory user to the host's units and user types.</summary>
public interface IAssignmentMatcher
{
    /// <summary>Gets the directory properties the matcher reads.</summary>
    /// <param name="context">The run.</param>
    /// <returns>Graph user property names.</returns>
    IReadOnlyCollection<string> GetRequiredProperties(SyncContext context);

    /// <summary>Called once at the start of a run, before any <see cref="Match"/>; loads what the run needs (the host's units).</summary>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>A task that completes when the matcher is ready.</returns>
    ValueTask PrepareAsync(SyncContext context, CancellationToken cancellationToken = default);

    /// <summary>Matches one user.</summary>
    /// <param name="user">The directory user.</param>
    /// <param name="context">The run.</param>
    /// <returns>The assignment and the directory values that matched nothing.</returns>
    AssignmentMatch Match(DirectoryUser user, SyncContext context);
}

/// <summary>The result of matching one user to units and user types.</summary>
public sealed class AssignmentMatch
{
    /// <summary>
    /// Gets the match to return when matching is not configured for the tenant: it assigns nothing, and users are
    /// not counted as unassigned.
    /// </summary>
    public static AssignmentMatch None { get; } = new();

    /// <summary>Gets the unit and user types to assign.</summary>
    /// <value>The default is <see cref="EmployeeAssignment.Unassigned"/>.</value>
    public EmployeeAssignment Assignment { get; init; } = EmployeeAssignment.Unassigned;

    /// <summary>Gets the directory value for the unit that matched no unit (or named more than one), or <see langword="null"/>.</summary>
    public string? UnmatchedUnitValue { get; init; }

    /// <summary>Gets the user-type values that matched no user type.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> UnmatchedUserTypeValues { get; init; } = [];

    /// <summary>Gets an explanation for the report, for example <c>more than one unit stated</c>.</summary>
    public string? Note { get; init; }
}

/// <summary>The host product's units and user types, which the default matcher matches directory values against.</summary>
public interface IAssignmentCatalog
{
    /// <summary>Gets the unit names of a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The unit names.</returns>
    ValueTask<IReadOnlyCollection<string>> GetUnitsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Gets the user type names of a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The user type names.</returns>
    ValueTask<IReadOnlyCollection<string>> GetUserTypesAsync(string tenantId, CancellationToken cancellationToken = default);
}

/// <summary>Decides what happens to an employee whose directory user left, and when a deactivated employee is purged.</summary>
public interface IRetentionPolicy
{
    /// <summary>Decides what to do with an active linked employee whose directory user is gone or out of scope.</summary>
    /// <param name="employee">The employee.</param>
    /// <param name="cause">Why the employee is no longer wanted.</param>
    /// <param name="context">The run.</param>
    /// <returns>Keep, deactivate or delete.</returns>
    RemovalAction DecideRemoval(StoredEmployee employee, RemovalCause cause, SyncContext context);

    /// <summary>Decides whether a deactivated employee is purged now.</summary>
    /// <param name="employee">The deactivated employee.</param>
    /// <param name="now">The run's current time.</param>
    /// <param name="context">The run.</param>
    /// <returns><see langword="true"/> to purge.</returns>
    bool ShouldPurge(StoredEmployee employee, DateTimeOffset now, SyncContext context);
}

/// <summary>Why a linked employee is no longer wanted.</summary>
public enum RemovalCause
{
    /// <summary>A complete full read did not return the user.</summary>
    NotInDirectory,

    /// <summary>The directory reported the user deleted but restorable.</summary>
    SoftDeletedInDirectory,

    /// <summary>The directory reported the user permanently deleted.</summary>
    DeletedInDirectory,

    /// <summary>The user is in the directory but the tenant's filters exclude them.</summary>
    OutOfScope,
}

/// <summary>What to do with an employee who is no longer wanted.</summary>
public enum RemovalAction
{
    /// <summary>Leave the employee as it is.</summary>
    Keep,

    /// <summary>Soft delete: deactivate now, purge after the retention period.</summary>
    Deactivate,

    /// <summary>Remove now.</summary>
    Delete,
}
