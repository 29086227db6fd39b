namespace EntraSync.ChangeFeed.Internal;

/// <summary>
/// The engine's side of the change feed, called from <c>ChangeWriter.OnBatchCommitted</c>: records a committed batch
/// (unless the store already wrote it to its outbox) and wakes the delivery loop for the tenant.
/// </summary>
internal sealed class ChangeFeedPublisher(IEmployeeChangeFeed feed, ChangeFeedDelivery delivery)
{
    public async ValueTask PublishAsync(string tenantId, string runId, IReadOnlyList<EmployeeChange> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (!feed.IsWrittenByStore)
        {
            await feed.AppendAsync(tenantId, runId, batch, cancellationToken).ConfigureAwait(false);
        }

        delivery.Notify(tenantId);
    }
}
