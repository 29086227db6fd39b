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
