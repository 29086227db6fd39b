namespace EntraSync;

/// <summary>The kind of directory read a run does.</summary>
public enum SyncMode
{
    /// <summary>Read only what changed since the last checkpoint (Graph delta); falls back to a full read when there is none.</summary>
    Incremental,

    /// <summary>Read every user in scope. Anyone linked and not seen has left.</summary>
    Full,
}
