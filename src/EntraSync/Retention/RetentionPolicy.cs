namespace EntraSync.Retention;

/// <summary>The default <see cref="IRetentionPolicy"/>: follows the profile's <see cref="RemovalOptions"/>.</summary>
public sealed class RetentionPolicy : IRetentionPolicy
{
    /// <inheritdoc />
    public RemovalAction DecideRemoval(StoredEmployee employee, RemovalCause cause, SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var removal = context.Profile.Removal;
        if (cause == RemovalCause.OutOfScope && !removal.RemoveUsersOutOfScope)
        {
            return RemovalAction.Keep;
        }

        return removal.Mode switch
        {
            RemovalMode.Delete => RemovalAction.Delete,
            RemovalMode.SoftDelete => RemovalAction.Deactivate,
            _ => RemovalAction.Keep,
        };
    }

    /// <inheritdoc />
    public bool ShouldPurge(StoredEmployee employee, DateTimeOffset now, SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(employee);
        ArgumentNullException.ThrowIfNull(context);
        var removal = context.Profile.Removal;
        return removal.Mode != RemovalMode.Keep
            && employee.DeactivatedAt is { } deactivatedAt
            && deactivatedAt + removal.RetentionPeriod <= now;
    }
}
