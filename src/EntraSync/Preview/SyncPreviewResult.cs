namespace EntraSync.Preview;

/// <summary>What sync would do with each directory user under a profile, and the totals.</summary>
public sealed class SyncPreviewResult
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets a value indicating whether the whole directory was read. When <see langword="false"/>, <see cref="Errors"/> says why.</summary>
    public bool IsComplete { get; init; }

    /// <summary>Gets the directory properties the preview read (what a sync would select).</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyCollection<string> Properties { get; init; } = [];

    /// <summary>Gets the users, in directory order, up to <see cref="SyncPreviewOptions.MaxUsers"/>.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<UserPreview> Users { get; init; } = [];

    /// <summary>Gets a value indicating whether <see cref="Users"/> stopped at the limit (the totals are still complete).</summary>
    public bool IsUserListTruncated { get; init; }

    /// <summary>Gets the totals.</summary>
    /// <value>The default is all zeros.</value>
    public SyncPreviewTotals Totals { get; init; } = new();

    /// <summary>Gets directory values for the unit that matched no unit, with how many users had each.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, int> UnmatchedUnitValues { get; init; } = new Dictionary<string, int>();

    /// <summary>Gets directory values for user types that matched no user type, with how many users had each.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, int> UnmatchedUserTypeValues { get; init; } = new Dictionary<string, int>();

    /// <summary>Gets warnings from the directory source.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets what stopped the preview (an invalid profile, a directory error), in words an IT admin can act on.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"{TenantId}: {Totals}";
}

/// <summary>Counts of a preview.</summary>
public sealed class SyncPreviewTotals
{
    /// <summary>Gets the users read.</summary>
    public int Read { get; init; }

    /// <summary>Gets the users that would be imported (in scope and not skipped).</summary>
    public int Imported { get; init; }

    /// <summary>Gets the users out of scope.</summary>
    public int OutOfScope { get; init; }

    /// <summary>Gets the users that would be skipped (missing mandatory field, duplicate email, unreadable record).</summary>
    public int Skipped { get; init; }

    /// <summary>Gets the imported users that would have no unit or no user type (only when matching is configured).</summary>
    public int Unassigned { get; init; }

    /// <summary>Gets how many users each exclusion reason put out of scope.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, int> OutOfScopeByReason { get; init; } = new Dictionary<string, int>();

    /// <summary>Gets how many users each skip reason skipped.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<SkipReason, int> SkippedByReason { get; init; } = new Dictionary<SkipReason, int>();

    /// <inheritdoc />
    public override string ToString() => $"read {Read}, imported {Imported}, out of scope {OutOfScope}, skipped {Skipped}, unassigned {Unassigned}";
}

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

/// <summary>What a preview says would happen to a user.</summary>
public enum UserPreviewOutcome
{
    /// <summary>In scope with every mandatory field: would be created, linked or updated.</summary>
    Imported,

    /// <summary>Excluded by the filters.</summary>
    OutOfScope,

    /// <summary>In scope but skipped (see <see cref="UserPreview.SkipReason"/>).</summary>
    Skipped,
}
