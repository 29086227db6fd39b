namespace EntraSync;

/// <summary>Why the directory reported a user as removed (Graph delta's <c>@removed.reason</c>).</summary>
public enum DirectoryRemovalReason
{
    /// <summary>Deleted and restorable for a while (Graph <c>changed</c>: moved to deleted items).</summary>
    SoftDeleted,

    /// <summary>Permanently deleted (Graph <c>deleted</c>).</summary>
    Deleted,
}
