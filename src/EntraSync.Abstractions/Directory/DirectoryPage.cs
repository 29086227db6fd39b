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
