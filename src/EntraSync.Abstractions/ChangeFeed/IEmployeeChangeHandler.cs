namespace EntraSync;

/// <summary>
/// Reacts to employee changes in the host product (send a welcome email, close a leaver's access, regenerate a
/// signature). Register with <c>AddEmployeeChangeHandler&lt;T&gt;()</c>; the change feed calls it after the store
/// committed the change, in order per tenant, at least once.
/// </summary>
/// <remarks>
/// An event counts as handled once <see cref="HandleAsync"/> returns; the feed then acknowledges it for this handler
/// (by <see cref="Name"/>). An exception leaves it unacknowledged: the feed retries it later (with back-off) before
/// any later event of the tenant, without running sync again. After a crash between the handler's work and the
/// acknowledgement the event comes again, so make the work idempotent (for example keyed by
/// <see cref="EmployeeChangeEvent.TenantId"/> and <see cref="EmployeeChangeEvent.Sequence"/>).
/// </remarks>
public interface IEmployeeChangeHandler
{
    /// <summary>
    /// Gets the name under which the feed keeps this handler's acknowledgements. Keep it stable across releases:
    /// a new name starts again from the oldest retained event.
    /// </summary>
    /// <value>The default is the handler type's full name.</value>
    string Name => GetType().FullName ?? GetType().Name;

    /// <summary>Handles one event.</summary>
    /// <param name="change">The event.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(EmployeeChangeEvent change, CancellationToken cancellationToken = default);
}
