namespace EntraSync;

/// <summary>
/// One page of what the directory returned: users created or changed (or, in a full read, present), users removed,
/// records the source had to reject, and, on the last page only, how the read ended.
/// </summary>
public sealed class DirectoryPage
{
    /// <summary>Gets the users on this page.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<DirectoryUser> Users { get; init; } = [];

    /// <summary>Gets the users the directory reported as removed (delta <c>@removed</c> entries).</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<DirectoryRemoval> Removed { get; init; } = [];

    /// <summary>
    /// Gets users the directory still has but who left the tenant's directory scope, for example a user who no longer
    /// matches the OData filter that the source evaluated on incremental (delta) results. A linked employee listed here
    /// is treated as out of scope (<see cref="RemovalCause.OutOfScope"/>); nobody is created from it.
    /// </summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<DirectoryScopeExit> OutOfScope { get; init; } = [];

    /// <summary>Gets records on this page the source could not read (no id, malformed), each with its reason.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<RejectedRecord> Rejected { get; init; } = [];

    /// <summary>
    /// Gets how the read ended. Set on the last page only; <see langword="null"/> on every other page.
    /// A stream that ends without a page carrying it is treated as an incomplete read, which removes nobody.
    /// </summary>
    public DirectoryReadCompletion? Completion { get; init; }
}

/// <summary>A user the directory reported as removed.</summary>
public sealed class DirectoryRemoval
{
    /// <summary>Gets the directory object id of the removed user.</summary>
    public required string Id { get; init; }

    /// <summary>Gets whether the user can still be restored in the directory.</summary>
    /// <value>The default is <see cref="DirectoryRemovalReason.Deleted"/>.</value>
    public DirectoryRemovalReason Reason { get; init; } = DirectoryRemovalReason.Deleted;
}

/// <summary>Why the directory reported a user as removed (Graph delta's <c>@removed.reason</c>).</summary>
public enum DirectoryRemovalReason
{
    /// <summary>Deleted and restorable for a while (Graph <c>changed</c>: moved to deleted items).</summary>
    SoftDeleted,

    /// <summary>Permanently deleted (Graph <c>deleted</c>).</summary>
    Deleted,
}

/// <summary>A user who left the tenant's directory scope although the directory still has them.</summary>
public sealed class DirectoryScopeExit
{
    /// <summary>Gets the directory object id of the user.</summary>
    public required string Id { get; init; }

    /// <summary>Gets why the user is out of scope, in words for the report, for example <c>no longer matches the filter accountEnabled eq true</c>.</summary>
    public required string Reason { get; init; }
}

/// <summary>A record the source skipped because it could not be read as a user.</summary>
public sealed class RejectedRecord
{
    /// <summary>Gets the record's id when it had one.</summary>
    public string? Id { get; init; }

    /// <summary>Gets why the record was skipped, in words an IT admin can act on.</summary>
    public required string Reason { get; init; }
}

/// <summary>How a directory read ended: whether it saw everything, and what to keep for the next run.</summary>
public sealed class DirectoryReadCompletion
{
    /// <summary>
    /// Gets a value indicating whether the pages enumerate every user in scope (a full read), so that a linked
    /// employee who was not seen has left the directory. <see langword="false"/> for incremental (delta) reads,
    /// where only <see cref="DirectoryPage.Removed"/> entries and scope exits remove anyone.
    /// </summary>
    public required bool IsFullEnumeration { get; init; }

    /// <summary>Gets the checkpoint to keep for the next incremental read, or <see langword="null"/> when the source has none.</summary>
    public SyncCheckpoint? Checkpoint { get; init; }

    /// <summary>Gets why the source read everything although an incremental read was asked for (for example an expired delta token).</summary>
    public string? FallbackReason { get; init; }

    /// <summary>Gets warnings the source wants in the report.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
