using EntraSync.Sync.Applying;
using EntraSync.Sync.Guards;
using EntraSync.Sync.Planning;
using EntraSync.Sync.Reporting;
using EntraSync.Sync.Running;

namespace EntraSync.Sync;

/// <summary>Staged removals: listing them, and an administrator's approval or rejection, under the tenant's lock.</summary>
internal sealed partial class SyncRunner
{
    public async Task<IReadOnlyList<StagedRemovals>> GetStagedRemovalsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return await _services.State.GetStagedRemovalsAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncReport> ApproveRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(stagedRemovalsId);
        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false) ?? new SyncProfile { TenantId = tenantId };
        var runId = NewRunId();
        using var scope = _telemetry.StartRun("EntraSync.ApproveRemovals", tenantId, runId, SyncTrigger.Approval, SyncMode.Full, dryRun: false);
        var report = await ApproveCoreAsync(tenantId, stagedRemovalsId, decidedBy, profile, runId, cancellationToken).ConfigureAwait(false);
        _telemetry.RecordRun(report, SyncTrigger.Approval, scope.Activity);
        return report;
    }

    private async Task<SyncReport> ApproveCoreAsync(string tenantId, string stagedRemovalsId, string? decidedBy, SyncProfile profile, string runId, CancellationToken callerToken)
    {
        var startedAt = _time.GetUtcNow();
        return await WithTenantLockAsync(tenantId, runId, "approve the staged removals", callerToken, async (lease, cancellationToken) =>
        {
            var staged = await GetPendingAsync(tenantId, stagedRemovalsId, profile, cancellationToken).ConfigureAwait(false);
            var ids = staged.Removals.Select(r => r.DirectoryId).ToList();
            var current = (await _services.Store.FindAsync(tenantId, ids, [], cancellationToken).ConfigureAwait(false))
                .Where(e => e.DirectoryId is not null)
                .ToDictionary(e => e.DirectoryId!, StringComparer.OrdinalIgnoreCase);
            var ledger = new RunLedger(profile.MaxUserOutcomesInReport);
            var changes = new List<EmployeeChange>();
            foreach (var removal in staged.Removals)
            {
                if (!current.TryGetValue(removal.DirectoryId, out var employee) || !employee.IsActive)
                {
                    ledger.Warnings.Add($"{removal.Email ?? removal.DirectoryId} is no longer an active linked employee; nothing to remove.");
                    continue;
                }

                changes.Add(RemovalGuard.Plan(ledger, new PendingRemoval(employee, removal.Cause), removal.Action, startedAt, $"approved by {decidedBy ?? "an administrator"}"));
            }

            try
            {
                await new ChangeWriter(_services.Store, tenantId, _options.CurrentValue.WriteBatchSize, lease.Generation, ledger, dryRun: false, _services.Feed, runId).WriteAsync(changes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && ledger.Removed > 0)
            {
                // Part of the set is applied: say how much, so nobody believes the approval changed nothing.
                throw new InvalidOperationException($"Approving staged removals '{staged.Id}' of tenant '{tenantId}' stopped part-way: {ex.Message} {Written(ledger, "it stopped")} The set stays pending; approve it again to apply the rest.", ex);
            }

            var finishedAt = _time.GetUtcNow();
            await _services.State.SaveStagedRemovalsAsync(StagedRemovalsGuard.Decide(staged, StagedRemovalsStatus.Approved, finishedAt, decidedBy), cancellationToken).ConfigureAwait(false);
            var report = new SyncReportBuilder { TenantId = tenantId, RunId = runId, StartedAt = startedAt, RequestedMode = SyncMode.Full, Trigger = SyncTrigger.Approval }
                .Ran(ledger, SyncOutcome.Succeeded, SyncMode.Full, finishedAt, isReadComplete: true, stagedRemovalsId: staged.Id);
            await _services.State.AddRunAsync(report, profile.RunHistoryLength, CancellationToken.None).ConfigureAwait(false);
            Log.RemovalsDecided(_logger, tenantId, staged.Id, StagedRemovalsStatus.Approved, changes.Count);
            return report;
        }).ConfigureAwait(false);
    }

    public async Task<StagedRemovals> RejectRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(stagedRemovalsId);
        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false) ?? new SyncProfile { TenantId = tenantId };

        // Under the tenant's lock like an approval, so a decision never races a run superseding the set or another decision.
        return await WithTenantLockAsync(tenantId, NewRunId(), "reject the staged removals", cancellationToken, async (_, token) =>
        {
            var staged = await GetPendingAsync(tenantId, stagedRemovalsId, profile, token).ConfigureAwait(false);
            var rejected = StagedRemovalsGuard.Decide(staged, StagedRemovalsStatus.Rejected, _time.GetUtcNow(), decidedBy);
            await _services.State.SaveStagedRemovalsAsync(rejected, token).ConfigureAwait(false);
            Log.RemovalsDecided(_logger, tenantId, staged.Id, StagedRemovalsStatus.Rejected, 0);
            return rejected;
        }).ConfigureAwait(false);
    }

    /// <summary>Runs a decision on staged removals holding the tenant's in-process lock and run lease (renewed while it runs).</summary>
    private async Task<T> WithTenantLockAsync<T>(string tenantId, string runId, string doing, CancellationToken callerToken, Func<TenantLease, CancellationToken, Task<T>> decide)
    {
        if (!_running.TryAdd(tenantId, runId))
        {
            throw new InvalidOperationException($"A sync for tenant '{tenantId}' is running (run {_running.GetValueOrDefault(tenantId)}); {doing} when it has finished.");
        }

        try
        {
            var (lease, attempt) = await TenantLease.TryAcquireAsync(_services.State, tenantId, runId, _options.CurrentValue.RunLeaseDuration, _time, _logger, callerToken).ConfigureAwait(false);
            if (lease is null)
            {
                throw new InvalidOperationException($"A sync for tenant '{tenantId}' is running in another process (run {attempt.HeldBy}); {doing} when it has finished. {TenantLease.WaitHint(attempt)}");
            }

            await using (lease.ConfigureAwait(false))
            {
                using var work = CancellationTokenSource.CreateLinkedTokenSource(callerToken, lease.Lost);
                try
                {
                    return await decide(lease, work.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (lease.LostReason is not null && ex is OperationCanceledException or StaleLeaseException)
                {
                    throw new InvalidOperationException($"Could not {doing} of tenant '{tenantId}': {lease.LostReason}. Try again.", ex);
                }
            }
        }
        finally
        {
            _running.TryRemove(tenantId, out _);
        }
    }

    /// <summary>The staged set to decide: it must exist and still be pending, and not have expired.</summary>
    private Task<StagedRemovals> GetPendingAsync(string tenantId, string id, SyncProfile profile, CancellationToken cancellationToken) =>
        StagedRemovalsGuard.GetPendingAsync(_services.State, tenantId, id, profile, _time, cancellationToken);
}
