namespace EntraSync.Preview;

/// <summary>What sync would do with one directory user.</summary>
public sealed class UserPreview
{
    /// <summary>Gets the directory object id, or <see langword="null"/> for a record without one.</summary>
    public string? DirectoryId { get; init; }

    /// <summary>Gets the display name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets the resolved email, or <see langword="null"/> when none was found.</summary>
    public string? Email { get; init; }

    /// <summary>Gets what would happen to the user.</summary>
    public required UserPreviewOutcome Outcome { get; init; }

    /// <summary>Gets why the user is out of scope or skipped; <see langword="null"/> when imported.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the reason code for a skipped user.</summary>
    public SkipReason? SkipReason { get; init; }

    /// <summary>Gets the mapped fields in field-map order; empty for users out of scope.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets the unit and user types, or <see langword="null"/> when matching is not configured or did not run.</summary>
    public EmployeeAssignment? Assignment { get; init; }

    /// <summary>Gets the matcher's explanation, for example <c>no unit: more than one unit stated in Department ("Sales, Support")</c>.</summary>
    public string? AssignmentNote { get; init; }

    /// <summary>Gets a value indicating whether the user would be imported without a unit or user type.</summary>
    public bool IsUnassigned => Outcome == UserPreviewOutcome.Imported && Assignment is { IsUnassigned: true };

    /// <inheritdoc />
    public override string ToString() => $"{Outcome} {DirectoryId} {Email} {Reason}".TrimEnd();
}
