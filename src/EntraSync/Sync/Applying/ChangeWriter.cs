using EntraSync.ChangeFeed.Internal;
using EntraSync.Sync.Reporting;

namespace EntraSync.Sync.Applying;

/// <summary>
/// Applies planned changes to the <see cref="IEmployeeStore"/> in batches under the run's lease, and counts each batch
/// in the ledger once the store committed it. In a dry run nothing is written; the ledger counts what would be.
/// </summary>
/// <remarks>
/// <see cref="OnBatchCommittedAsync"/> is the one place where a batch's applied changes are known to be committed: hook
/// anything that must follow a write (the report's counts today; a change feed, for example) there, never before.
/// </remarks>
/// <param name="store">The employee store.</param>
/// <param name="tenantId">The tenant.</param>
/// <param name="batchSize">Changes per <see cref="IEmployeeStore.ApplyAsync"/> call (EntraSyncOptions.WriteBatchSize).</param>
/// <param name="leaseGeneration">The run lease's fencing generation, passed to the store with every batch.</param>
/// <param name="ledger">Counts committed changes.</param>
/// <param name="dryRun">Whether the run is a dry run.</param>
/// <param name="feed">The change feed to publish committed batches to, or <see langword="null"/> when none is added.</param>
/// <param name="runId">The run's id, carried by the change feed's events.</param>
internal sealed class ChangeWriter(IEmployeeStore store, string tenantId, int batchSize, long leaseGeneration, RunLedger ledger, bool dryRun, ChangeFeedPublisher? feed = null, string runId = "")
{
    /// <summary>Writes <paramref name="changes"/> in order, in batches; a batch the store refused throws and stops the rest.</summary>
    public async Task WriteAsync(List<EmployeeChange> changes, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            // Nothing is written in a dry run: the report counts what would be.
            ledger.Commit(changes);
            return;
        }

        for (var start = 0; start < changes.Count; start += batchSize)
        {
            var batch = start == 0 && changes.Count <= batchSize ? changes : changes.GetRange(start, Math.Min(batchSize, changes.Count - start));
            await store.ApplyAsync(tenantId, batch, leaseGeneration, cancellationToken).ConfigureAwait(false);
            await OnBatchCommittedAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Called once for each batch, after the store committed it: the batch's changes are applied and durable.</summary>
    /// <param name="batch">The committed changes, in the order they were applied.</param>
    /// <param name="cancellationToken">Cancels the publishing.</param>
    private async ValueTask OnBatchCommittedAsync(IReadOnlyList<EmployeeChange> batch, CancellationToken cancellationToken)
    {
        ledger.Commit(batch);
        if (feed is not null)
        {
            await feed.PublishAsync(tenantId, runId, batch, cancellationToken).ConfigureAwait(false);
        }
    }
}
