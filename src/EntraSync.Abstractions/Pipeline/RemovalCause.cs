namespace EntraSync;

/// <summary>Why a linked employee is no longer wanted.</summary>
public enum RemovalCause
{
    /// <summary>A complete full read did not return the user.</summary>
    NotInDirectory,

    /// <summary>The directory reported the user deleted but restorable.</summary>
    SoftDeletedInDirectory,

    /// <summary>The directory reported the user permanently deleted.</summary>
    DeletedInDirectory,

    /// <summary>The user is in the directory but the tenant's filters exclude them.</summary>
    OutOfScope,
}
