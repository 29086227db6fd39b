namespace EntraSync.ChangeFeed;

/// <summary>
/// Hands the change feed's events to the registered <see cref="IEmployeeChangeHandler"/>s. The hosted delivery loop
/// uses it after every committed batch and on a poll; call it yourself to deliver now or to replay.
/// </summary>
public interface IEmployeeChangeDelivery
{
    /// <summary>
    /// Delivers the tenant's unacknowledged events to every handler, in sequence order, each handler from its own
    /// acknowledgement; a handler that fails stops at that event and is retried later with back-off (its
    /// back-off is ignored here). Then removes events every handler acknowledged that are older than the retention period.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the delivery; what was acknowledged stays acknowledged.</param>
    /// <returns>How many events were handled (counting each handler).</returns>
    Task<int> DeliverAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes <paramref name="handlerName"/> receive the tenant's retained events again from <paramref name="fromSequence"/>
    /// on (the next delivery hands them out again). Events already removed by retention are not replayed.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="handlerName">The handler's <see cref="IEmployeeChangeHandler.Name"/>.</param>
    /// <param name="fromSequence">The first sequence to deliver again (1 or more).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the replay is recorded.</returns>
    Task ReplayAsync(string tenantId, string handlerName, long fromSequence, CancellationToken cancellationToken = default);
}
