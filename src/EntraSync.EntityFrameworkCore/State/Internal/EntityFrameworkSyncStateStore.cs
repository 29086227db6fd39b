using System.Text.Json;
using EntraSync.EntityFrameworkCore.Internal;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.State.Internal;

/// <summary>
/// <see cref="ISyncStateStore"/> on EF Core, in the tables <c>modelBuilder.AddEntraSyncState()</c> adds. Times are
/// stored in UTC; ordering uses row ids and is done in memory for the small per-tenant lists, so no provider needs
/// to compare <see cref="DateTimeOffset"/> values in SQL. Lease times come from the database's clock
/// (<see cref="RunLeaseFence.DatabaseNowAsync"/>); the lease row's <see cref="SyncRunLeaseEntry.Version"/> is the lease
/// generation, taken by compare-and-swap.
/// </summary>
internal sealed class EntityFrameworkSyncStateStore<TContext>(DbContextSource<TContext> contexts, TimeProvider? timeProvider = null) : ISyncStateStore
    where TContext : DbContext
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    private const int LeaseAttempts = 3;

    public async ValueTask<SyncCheckpoint?> GetCheckpointAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var row = await lease.Context.Set<SyncCheckpointEntry>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.TenantId == tenantId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new SyncCheckpoint
        {
            Value = row.Value,
            Fingerprint = row.Fingerprint,
            CreatedAt = row.CreatedAt,
            LastFullReadAt = row.LastFullReadAt,
        };
    }

    public async ValueTask SaveCheckpointAsync(string tenantId, SyncCheckpoint? checkpoint, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async token =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(token).ConfigureAwait(false);
                await RunLeaseFence.CheckAsync(db, tenantId, leaseGeneration, "the checkpoint save", token).ConfigureAwait(false);
                var rows = db.Set<SyncCheckpointEntry>();
                if (checkpoint is null)
                {
                    await rows.Where(c => c.TenantId == tenantId).ExecuteDeleteAsync(token).ConfigureAwait(false);
                }
                else
                {
                    var row = await rows.FirstOrDefaultAsync(c => c.TenantId == tenantId, token).ConfigureAwait(false);
                    if (row is null)
                    {
                        row = new SyncCheckpointEntry { TenantId = tenantId };
                        rows.Add(row);
                    }

                    row.Value = checkpoint.Value;
                    row.Fingerprint = checkpoint.Fingerprint;
                    row.CreatedAt = checkpoint.CreatedAt.ToUniversalTime();
                    row.LastFullReadAt = checkpoint.LastFullReadAt?.ToUniversalTime();
                    await db.SaveChangesAsync(token).ConfigureAwait(false);
                }

                await transaction.CommitAsync(token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask AddRunAsync(SyncReport report, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var runs = db.Set<SyncRunEntry>();
        runs.Add(new SyncRunEntry
        {
            TenantId = report.TenantId,
            RunId = report.RunId,
            Outcome = report.Outcome.ToString(),
            StartedAt = report.StartedAt.ToUniversalTime(),
            FinishedAt = report.FinishedAt.ToUniversalTime(),
            Report = JsonSerializer.Serialize(report, StateJson.Options),
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var tenantId = report.TenantId;
        var newest = Math.Max(1, keep);
        var oldestKept = await runs.Where(r => r.TenantId == tenantId).OrderByDescending(r => r.Id)
            .Skip(newest - 1).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (oldestKept is { } cutoff)
        {
            await runs.Where(r => r.TenantId == tenantId && r.Id < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<SyncReport>> GetRunsAsync(string tenantId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (max <= 0)
        {
            return [];
        }

        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var reports = await lease.Context.Set<SyncRunEntry>().AsNoTracking()
            .Where(r => r.TenantId == tenantId).OrderByDescending(r => r.Id).Take(max).Select(r => r.Report)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return reports.Select(r => JsonSerializer.Deserialize<SyncReport>(r, StateJson.Options)!).ToList();
    }

    public async ValueTask SaveStagedRemovalsAsync(StagedRemovals staged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staged);
        ArgumentException.ThrowIfNullOrWhiteSpace(staged.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(staged.TenantId);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var rows = db.Set<StagedRemovalsEntry>();
        var row = await rows.FirstOrDefaultAsync(s => s.Id == staged.Id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new StagedRemovalsEntry { Id = staged.Id };
            rows.Add(row);
        }
        else if (row.TenantId != staged.TenantId)
        {
            throw new InvalidOperationException($"Staged removals {staged.Id} belong to another tenant; a tenant cannot replace them.");
        }

        row.TenantId = staged.TenantId;
        row.RunId = staged.RunId;
        row.CreatedAt = staged.CreatedAt.ToUniversalTime();
        row.Status = staged.Status.ToString();
        row.Reason = staged.Reason;
        row.DecidedAt = staged.DecidedAt?.ToUniversalTime();
        row.DecidedBy = staged.DecidedBy;
        row.Removals = JsonSerializer.Serialize(staged.Removals, StateJson.Options);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<StagedRemovals>> GetStagedRemovalsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var rows = await lease.Context.Set<StagedRemovalsEntry>().AsNoTracking()
            .Where(s => s.TenantId == tenantId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows
            .Select(row => new StagedRemovals
            {
                Id = row.Id,
                TenantId = row.TenantId,
                RunId = row.RunId,
                CreatedAt = row.CreatedAt,
                Status = Enum.Parse<StagedRemovalsStatus>(row.Status),
                Reason = row.Reason,
                DecidedAt = row.DecidedAt,
                DecidedBy = row.DecidedBy,
                Removals = JsonSerializer.Deserialize<List<StagedRemoval>>(row.Removals, StateJson.Options) ?? [],
            })
            .OrderByDescending(s => s.CreatedAt)
            .ToList();
    }

    public async ValueTask<TenantSyncState?> GetTenantStateAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var row = await lease.Context.Set<TenantSyncStateEntry>().AsNoTracking()
            .FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new TenantSyncState
        {
            TenantId = row.TenantId,
            NextRunAt = row.NextRunAt,
            NextFullRunAt = row.NextFullRunAt,
            LastRunAt = row.LastRunAt,
            LastSuccessAt = row.LastSuccessAt,
            ConsecutiveFailures = row.ConsecutiveFailures,
            LastFailureKind = row.LastFailureKind,
            LastFailureMessage = row.LastFailureMessage,
            QuarantinedUntil = row.QuarantinedUntil,
            ProfileVersion = row.ProfileVersion,
        };
    }

    public async ValueTask SaveTenantStateAsync(TenantSyncState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(state.TenantId);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var rows = db.Set<TenantSyncStateEntry>();
        var row = await rows.FirstOrDefaultAsync(s => s.TenantId == state.TenantId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new TenantSyncStateEntry { TenantId = state.TenantId };
            rows.Add(row);
        }

        row.NextRunAt = state.NextRunAt?.ToUniversalTime();
        row.NextFullRunAt = state.NextFullRunAt?.ToUniversalTime();
        row.LastRunAt = state.LastRunAt?.ToUniversalTime();
        row.LastSuccessAt = state.LastSuccessAt?.ToUniversalTime();
        row.ConsecutiveFailures = state.ConsecutiveFailures;
        row.LastFailureKind = state.LastFailureKind;
        row.LastFailureMessage = state.LastFailureMessage;
        row.QuarantinedUntil = state.QuarantinedUntil?.ToUniversalTime();
        row.ProfileVersion = state.ProfileVersion;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<RunLeaseAttempt> TryAcquireLeaseAsync(string tenantId, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        string? holder = null;
        for (var attempt = 0; attempt < LeaseAttempts; attempt++)
        {
            await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
            var db = lease.Context;
            var leases = db.Set<SyncRunLeaseEntry>();
            var now = await RunLeaseFence.DatabaseNowAsync(db, _time, cancellationToken).ConfigureAwait(false);
            var expires = now + duration;
            var row = await leases.AsNoTracking().FirstOrDefaultAsync(l => l.TenantId == tenantId, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                leases.Add(new SyncRunLeaseEntry { TenantId = tenantId, Owner = owner, ExpiresAt = expires, Version = 1 });
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    return RunLeaseAttempt.Acquired(new RunLease { TenantId = tenantId, Owner = owner, Generation = 1, ExpiresAt = expires });
                }
                catch (DbUpdateException)
                {
                    // Another process inserted the tenant's lease first: read it again and decide.
                    continue;
                }
            }

            if (row.Owner is not null && row.Owner != owner && row.ExpiresAt > now)
            {
                return RunLeaseAttempt.Held(row.Owner, row.ExpiresAt - now);
            }

            // Compare and swap on the version: of two processes taking an expired lease, one wins. A new holder gets
            // the next version as its generation; the holder taking its own lease again keeps its generation.
            var version = row.Version;
            var generation = row.Owner == owner ? version : version + 1;
            var taken = await leases.Where(l => l.TenantId == tenantId && l.Version == version).ExecuteUpdateAsync(
                s => s.SetProperty(l => l.Owner, owner).SetProperty(l => l.ExpiresAt, expires).SetProperty(l => l.Version, generation),
                cancellationToken).ConfigureAwait(false);
            if (taken == 1)
            {
                return RunLeaseAttempt.Acquired(new RunLease { TenantId = tenantId, Owner = owner, Generation = generation, ExpiresAt = expires });
            }

            holder = "another run";
        }

        return RunLeaseAttempt.Held(holder ?? "another run", duration);
    }

    public async ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var context = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = context.Context;
        var expires = await RunLeaseFence.DatabaseNowAsync(db, _time, cancellationToken).ConfigureAwait(false) + duration;
        var (tenantId, owner, generation) = (lease.TenantId, lease.Owner, lease.Generation);
        var renewed = await db.Set<SyncRunLeaseEntry>()
            .Where(l => l.TenantId == tenantId && l.Owner == owner && l.Version == generation)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, expires), cancellationToken).ConfigureAwait(false);
        return renewed == 1 ? new RunLease { TenantId = tenantId, Owner = owner, Generation = generation, ExpiresAt = expires } : null;
    }

    public async ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var (tenantId, owner, generation) = (lease.TenantId, lease.Owner, lease.Generation);
        await using var context = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);

        // The version moves on, so a write still carrying the released lease's generation is refused.
        await context.Context.Set<SyncRunLeaseEntry>().Where(l => l.TenantId == tenantId && l.Owner == owner && l.Version == generation).ExecuteUpdateAsync(
            s => s.SetProperty(l => l.Owner, (string?)null).SetProperty(l => l.Version, l => l.Version + 1),
            cancellationToken).ConfigureAwait(false);
    }
}
