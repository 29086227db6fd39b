namespace EntraSync;

/// <summary>What happens to an employee whose directory user left.</summary>
public enum RemovalMode
{
    /// <summary>Deactivate, keep for the retention period, then purge; reactivate if the user comes back in time.</summary>
    SoftDelete,

    /// <summary>Remove at once (Xink's "Delete employees" / "Clean up").</summary>
    Delete,

    /// <summary>Never remove; leavers stay as they are.</summary>
    Keep,
}
