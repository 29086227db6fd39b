namespace EntraSync;

/// <summary>What happened to one user.</summary>
public enum UserAction
{
    /// <summary>Created as a new employee.</summary>
    Created,

    /// <summary>A local employee with the same email was linked.</summary>
    Linked,

    /// <summary>Fields updated.</summary>
    Updated,

    /// <summary>Reactivated after coming back.</summary>
    Reactivated,

    /// <summary>Deactivated (soft deleted).</summary>
    Deactivated,

    /// <summary>Deleted.</summary>
    Deleted,

    /// <summary>Purged after the retention period.</summary>
    Purged,

    /// <summary>Removal staged for approval.</summary>
    Staged,

    /// <summary>Removal kept by the removal policy.</summary>
    Kept,

    /// <summary>Skipped; see the reason.</summary>
    Skipped,

    /// <summary>Out of the tenant's scope.</summary>
    OutOfScope,
}
