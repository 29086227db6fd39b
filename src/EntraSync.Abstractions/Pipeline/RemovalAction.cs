namespace EntraSync;

/// <summary>What to do with an employee who is no longer wanted.</summary>
public enum RemovalAction
{
    /// <summary>Leave the employee as it is.</summary>
    Keep,

    /// <summary>Soft delete: deactivate now, purge after the retention period.</summary>
    Deactivate,

    /// <summary>Remove now.</summary>
    Delete,
}
