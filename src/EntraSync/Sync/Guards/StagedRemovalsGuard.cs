using EntraSync.Sync.Planning;
using EntraSync.Sync.Reporting;

namespace EntraSync.Sync.Guards;

/// <summary>
/// Staged removals, in one place: staging the removals a threshold held back, keeping the tenant's pending sets true
/// to each complete read, their expiry, and the immutable copies that record a decision.
/// </summary>
/// <param name="context">The run.</param>
/// <param name="state">Where staged sets are kept.</param>
/// <param name="ledger">Where staged outcomes and warnings go.</param>
/// <param name="memory">Who the run saw, removed and still intends to remove.</param>
internal sealed class StagedRemovalsGuard(SyncContext context, ISyncStateStore state, RunLedger ledger, RunMemory memory)
{
    /// <summary>Gets the id of the set this run staged, if it staged one.</summary>
    public string? StagedRemovalsId { get; private set; }

    /// <summary>Stages <paramref name="removals"/> for approval instead of applying them (a dry run only says it would).</summary>
    public async Task StageAsync(List<(PendingRemoval Pending, RemovalAction Action)> removals, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var staged = new StagedRemovals
        {
            Id = Guid.NewGuid().ToString("N"),
            TenantId = context.TenantId,
            RunId = context.RunId,
            CreatedAt = now,
            Reason = why,
            Removals = removals.Select(r => new StagedRemoval
            {
                Key = r.Pending.Employee.Key,
                DirectoryId = r.Pending.Employee.DirectoryId!,
                Email = r.Pending.Employee.Email,
                Action = r.Action,
                Cause = r.Pending.Cause,
            }).ToList(),
        };

        foreach (var (pending, _) in removals)
        {
            ledger.Record(RemovalGuard.Outcome(pending, UserAction.Staged, "removal staged for approval: " + RemovalGuard.Describe(pending.Cause)));
        }

        if (context.IsDryRun)
        {
            ledger.Warnings.Add($"Removals would be staged for approval: {why}.");
            return;
        }

        ledger.Warnings.Add($"Removals staged for approval, nobody removed: {why}. Review them and approve or reject (staged removals {staged.Id}).");
        StagedRemovalsId = staged.Id;
        await state.SaveStagedRemovalsAsync(staged, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the tenant's pending staged removals true to this complete read. A full read decided every removal
    /// afresh (applied, staged again, or found the people back), so it supersedes every older pending set. An
    /// incremental read only proves who is still there: the employees it saw in the directory (and those it removed
    /// itself) are taken off the pending sets, so approving one later never removes someone who came back.
    /// </summary>
    public async Task ReconcileAsync(bool fullRead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (context.IsDryRun)
        {
            return;
        }

        foreach (var set in await state.GetStagedRemovalsAsync(context.TenantId, cancellationToken).ConfigureAwait(false))
        {
            if (set.Status != StagedRemovalsStatus.Pending || string.Equals(set.Id, StagedRemovalsId, StringComparison.Ordinal))
            {
                continue;
            }

            if (fullRead)
            {
                await state.SaveStagedRemovalsAsync(Decide(set, StagedRemovalsStatus.Superseded, now, SupersededBy(context.RunId)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            var still = set.Removals.Where(r => !memory.Removed.Contains(r.DirectoryId) && !(memory.Seen.Contains(r.DirectoryId) && !memory.PendingRemovals.ContainsKey(r.DirectoryId))).ToList();
            if (still.Count == set.Removals.Count)
            {
                continue;
            }

            var dropped = set.Removals.Count - still.Count;
            ledger.Warnings.Add(still.Count == 0
                ? $"Staged removals {set.Id} are superseded: every one of their {dropped} employee(s) is back in the directory or was removed by this run."
                : $"Staged removals {set.Id}: {dropped} employee(s) back in the directory (or removed by this run) were taken off the list; {still.Count} still wait for approval.");
            await state.SaveStagedRemovalsAsync(
                still.Count == 0 ? Decide(set, StagedRemovalsStatus.Superseded, now, SupersededBy(context.RunId)) : WithRemovals(set, still),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Who superseded a staged set, as <see cref="StagedRemovals.DecidedBy"/> records it.</summary>
    public static string SupersededBy(string runId) => $"run {runId} (a later complete read)";

    /// <summary>The staged set to decide: it must exist and still be pending, and not have expired (an expired one is saved as such).</summary>
    public static async Task<StagedRemovals> GetPendingAsync(ISyncStateStore state, string tenantId, string id, SyncProfile profile, TimeProvider time, CancellationToken cancellationToken)
    {
        var all = await state.GetStagedRemovalsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var staged = all.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Tenant '{tenantId}' has no staged removals with id '{id}'.");
        var lifetime = profile.Removal.StagedRemovalsLifetime;
        var now = time.GetUtcNow();
        if (staged.Status == StagedRemovalsStatus.Pending && staged.CreatedAt + lifetime <= now)
        {
            staged = Decide(staged, StagedRemovalsStatus.Expired, staged.CreatedAt + lifetime, "expiry (Removal:StagedRemovalsLifetime)");
            await state.SaveStagedRemovalsAsync(staged, cancellationToken).ConfigureAwait(false);
        }

        if (staged.Status == StagedRemovalsStatus.Pending)
        {
            return staged;
        }

        var current = all.FirstOrDefault(s => s.Status == StagedRemovalsStatus.Pending && s.CreatedAt + lifetime > now && !string.Equals(s.Id, id, StringComparison.Ordinal));
        var instead = current is null ? " No other staged removals are waiting for approval." : $" The staged removals waiting for approval now are '{current.Id}'.";
        throw staged.Status switch
        {
            StagedRemovalsStatus.Superseded => new InvalidOperationException(
                $"Staged removals '{id}' of tenant '{tenantId}' were superseded on {staged.DecidedAt:u} by {staged.DecidedBy ?? "a later run"}: a complete read of the directory after they were staged decided those removals again, so approving this older list could remove people who are back.{instead}"),
            StagedRemovalsStatus.Expired => new InvalidOperationException(
                $"Staged removals '{id}' of tenant '{tenantId}' expired on {staged.CreatedAt + lifetime:u}: they were staged on {staged.CreatedAt:u} and staged removals can be approved for {lifetime.TotalDays:0.##} day(s) (Removal:StagedRemovalsLifetime), so they may no longer match the directory. Run a full sync: it stages again whoever is still missing.{instead}"),
            _ => new InvalidOperationException(
                $"Staged removals '{id}' of tenant '{tenantId}' were already {staged.Status.ToString().ToLowerInvariant()} on {staged.DecidedAt:u}; only pending removals can be decided."),
        };
    }

    /// <summary>A copy of <paramref name="staged"/> with its decision (the type is immutable).</summary>
    public static StagedRemovals Decide(StagedRemovals staged, StagedRemovalsStatus status, DateTimeOffset at, string? by) => new()
    {
        Id = staged.Id,
        TenantId = staged.TenantId,
        RunId = staged.RunId,
        CreatedAt = staged.CreatedAt,
        Removals = staged.Removals,
        Reason = staged.Reason,
        Status = status,
        DecidedAt = at,
        DecidedBy = by,
    };

    /// <summary>A copy of <paramref name="staged"/> with fewer removals.</summary>
    public static StagedRemovals WithRemovals(StagedRemovals staged, IReadOnlyList<StagedRemoval> removals) => new()
    {
        Id = staged.Id,
        TenantId = staged.TenantId,
        RunId = staged.RunId,
        CreatedAt = staged.CreatedAt,
        Removals = removals,
        Reason = staged.Reason,
        Status = staged.Status,
        DecidedAt = staged.DecidedAt,
        DecidedBy = staged.DecidedBy,
    };
}
