namespace EntraSync;

/// <summary>A user the directory reported as removed.</summary>
public sealed class DirectoryRemoval
{
    /// <summary>Gets the directory object id of the removed user.</summary>
    public required string Id { get; init; }

    /// <summary>Gets whether the user can still be restored in the directory.</summary>
    /// <value>The default is <see cref="DirectoryRemovalReason.Deleted"/>.</value>
    public DirectoryRemovalReason Reason { get; init; } = DirectoryRemovalReason.Deleted;
}
