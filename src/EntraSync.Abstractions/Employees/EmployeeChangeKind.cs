namespace EntraSync;

/// <summary>What an <see cref="EmployeeChange"/> does.</summary>
public enum EmployeeChangeKind
{
    /// <summary>Add a new employee linked to the directory user.</summary>
    Create,

    /// <summary>Link a local employee with the same email to the directory user (once), and update its fields.</summary>
    Link,

    /// <summary>Update the fields of a linked employee.</summary>
    Update,

    /// <summary>Reactivate a soft-deleted employee whose directory user came back within the retention period.</summary>
    Reactivate,

    /// <summary>Soft delete: keep the employee, deactivated, for the retention period.</summary>
    Deactivate,

    /// <summary>Remove the employee now.</summary>
    Delete,

    /// <summary>Remove an employee deactivated for longer than the retention period.</summary>
    Purge,
}
