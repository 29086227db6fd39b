namespace EntraSync;

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
