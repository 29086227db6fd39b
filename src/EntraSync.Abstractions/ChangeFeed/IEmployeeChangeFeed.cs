namespace EntraSync;

/// <summary>
/// Where committed employee changes are kept as <see cref="EmployeeChangeEvent"/>s, numbered per tenant, until every
/// handler acknowledged them and the retention period passed. EntraSync keeps one in memory for any store; the EF Core
/// store keeps them in an outbox table written in the same transaction as the change.
/// </summary>
/// <remarks>
/// A feed either records events itself inside the store's write (<see cref="IsWrittenByStore"/>, an outbox: nothing is
/// lost when the process dies right after the commit), or is given each committed batch by the engine through
/// <see cref="AppendAsync"/> right after the store committed it.
/// </remarks>
public interface IEmployeeChangeFeed
{
    /// <summary>
    /// Gets a value indicating whether the store writes the events in the transaction of the changes (an outbox);
    /// the engine then never calls <see cref="AppendAsync"/>.
    /// </summary>
    bool IsWrittenByStore { get; }

    /// <summary>Records the events of a batch the store just committed, numbered after the tenant's last event.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runId">The run that applied the batch.</param>
    /// <param name="changes">The committed changes, in the order they were applied.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>A task that completes when the events are recorded.</returns>
    ValueTask AppendAsync(string tenantId, string runId, IReadOnlyList<EmployeeChange> changes, CancellationToken cancellationToken = default);

    /// <summary>Reads the tenant's retained events after <paramref name="afterSequence"/>, in sequence order.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="afterSequence">The last sequence already seen; 0 reads from the oldest retained event.</param>
    /// <param name="maxCount">The most events to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>At most <paramref name="maxCount"/> events with a sequence above <paramref name="afterSequence"/>, oldest first.</returns>
    ValueTask<IReadOnlyList<EmployeeChangeEvent>> ReadChangesAsync(string tenantId, long afterSequence, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Reads the tenants that have retained events.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tenant ids.</returns>
    ValueTask<IReadOnlyList<string>> ReadTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets the last sequence <paramref name="handlerName"/> acknowledged for the tenant, or 0 when none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="handlerName">The handler's <see cref="IEmployeeChangeHandler.Name"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The acknowledged sequence.</returns>
    ValueTask<long> GetAcknowledgedAsync(string tenantId, string handlerName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the last sequence <paramref name="handlerName"/> has handled for the tenant. Setting it lower replays the
    /// events after it (those still retained).
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="handlerName">The handler's <see cref="IEmployeeChangeHandler.Name"/>.</param>
    /// <param name="sequence">The sequence handled.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the acknowledgement is stored.</returns>
    ValueTask AcknowledgeAsync(string tenantId, string handlerName, long sequence, CancellationToken cancellationToken = default);

    /// <summary>Removes the tenant's events up to <paramref name="throughSequence"/> that occurred before <paramref name="occurredBefore"/>.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="throughSequence">The highest sequence that may go (the lowest acknowledgement of the handlers).</param>
    /// <param name="occurredBefore">Only events older than this go (now minus the retention period).</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>How many events were removed.</returns>
    ValueTask<int> RemoveAsync(string tenantId, long throughSequence, DateTimeOffset occurredBefore, CancellationToken cancellationToken = default);
}
