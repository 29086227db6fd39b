namespace EntraSync;

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
