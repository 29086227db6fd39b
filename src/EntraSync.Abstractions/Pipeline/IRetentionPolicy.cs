namespace EntraSync;

/// <summary>Decides what happens to an employee whose directory user left, and when a deactivated employee is purged.</summary>
public interface IRetentionPolicy
{
    /// <summary>Decides what to do with an active linked employee whose directory user is gone or out of scope.</summary>
    /// <param name="employee">The employee.</param>
    /// <param name="cause">Why the employee is no longer wanted.</param>
    /// <param name="context">The run.</param>
    /// <returns>Keep, deactivate or delete.</returns>
    RemovalAction DecideRemoval(StoredEmployee employee, RemovalCause cause, SyncContext context);

    /// <summary>Decides whether a deactivated employee is purged now.</summary>
    /// <param name="employee">The deactivated employee.</param>
    /// <param name="now">The run's current time.</param>
    /// <param name="context">The run.</param>
    /// <returns><see langword="true"/> to purge.</returns>
    bool ShouldPurge(StoredEmployee employee, DateTimeOffset now, SyncContext context);
}
