using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using EntraSync.EntityFrameworkCore.ChangeFeed.Internal;
using EntraSync.EntityFrameworkCore.Internal;
using EntraSync.EntityFrameworkCore.State.Internal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EntraSync.EntityFrameworkCore.Employees.Internal;

/// <summary>
/// <see cref="IEmployeeStore"/> on EF Core over the host's employee entity. Reads are untracked projections; each
/// batch is written in one transaction (tracked creates and updates saved in batched statements, set-based
/// deactivations, deletions and purges), retried when a host edit raced it. Each batch is fenced by the tenant's run
/// lease row in the same transaction (<see cref="RunLeaseFence.CheckAsync"/>).
/// </summary>
internal sealed partial class EntityFrameworkEmployeeStore<TContext, TEmployee> : IEmployeeStore
    where TContext : DbContext
    where TEmployee : class
{
    /// <summary>
    /// Values per query. Id and email lists go to the database as one array parameter (<c>EF.Parameter</c>: JSON on
    /// SQLite and SQL Server, an array on PostgreSQL): binding a list as one value instead of hundreds of parameters
    /// halved the cost of a page's lookups. Key lists stay one parameter per key, so the planner sees how few there
    /// are and seeks the primary key; 1,000 keys stay under SQL Server's 2,100-parameter limit. Chunks of 1,000 hold a
    /// Graph page (999 users).
    /// </summary>
    internal const int ChunkSize = 1_000;

    private const int MaxAttempts = 3;
    private readonly DbContextSource<TContext> _contexts;
    private readonly EmployeeModel<TEmployee> _model;
    private readonly Action<TEmployee>? _touch;
    private readonly Action<UpdateSettersBuilder<TEmployee>>? _touchSetBased;
    private readonly ILogger _logger;
    private readonly bool _writeChangeFeed;
    private readonly bool _trackedWritesOnly;
    private readonly Lock _gate = new();
    private (bool Known, SetBasedCreates<TEmployee>? Creates) _setBased;

    public EntityFrameworkEmployeeStore(
        DbContextSource<TContext> contexts,
        EmployeeModel<TEmployee> model,
        ILoggerFactory? loggerFactory = null,
        Action<TEmployee>? touch = null,
        Action<UpdateSettersBuilder<TEmployee>>? touchSetBased = null,
        bool writeChangeFeed = false,
        bool trackedWritesOnly = false)
    {
        _trackedWritesOnly = trackedWritesOnly;
        _writeChangeFeed = writeChangeFeed;
        _contexts = contexts;
        _model = model;
        _touch = touch;
        _touchSetBased = touchSetBased;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("EntraSync.EntityFrameworkCore.EmployeeStore");
    }

    public async ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentNullException.ThrowIfNull(directoryIds);
        ArgumentNullException.ThrowIfNull(emails);
        var ids = directoryIds.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).Chunk(ChunkSize).ToList();
        var mails = emails.Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.OrdinalIgnoreCase).Chunk(ChunkSize).ToList();
        if (ids.Count == 0 && mails.Count == 0)
        {
            return [];
        }

        await using var lease = await _contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var key = _model.Key(db);
        var projection = _model.Projection(key, withFields: true);
        var found = new Dictionary<string, StoredEmployee>(StringComparer.Ordinal);
        void Add(List<EmployeeRow> rows)
        {
            foreach (var row in rows)
            {
                found.TryAdd(key.Format(row.Key), _model.ToStored(row, key));
            }
        }

        // Ids and emails in separate queries, not one with OR: each then uses its own index (an OR across two
        // columns makes SQLite and PostgreSQL scan the tenant's rows).
        foreach (var chunk in ids)
        {
            Add(await Employees(db, tenantId).Where(_model.DirectoryIdIn(chunk)).Select(projection).ToListAsync(cancellationToken).ConfigureAwait(false));
        }

        // The email lookups mostly find the employees the id lookups just read: read only their keys, then the
        // whole row of the few not read yet (materializing every employee twice was most of a rerun's cost).
        var missing = new List<string>();
        foreach (var chunk in mails)
        {
            foreach (var employeeKey in await Employees(db, tenantId).Where(_model.EmailIn(chunk)).Select(_model.KeyOnly(key)).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                var text = key.Format(employeeKey);
                if (!found.ContainsKey(text))
                {
                    missing.Add(text);
                }
            }
        }

        foreach (var chunk in missing.Distinct(StringComparer.Ordinal).Chunk(ChunkSize))
        {
            // Keys just read from this tenant's rows: matched by key alone (see KeysOfTenantAsync for why).
            Add(await db.Set<TEmployee>().AsNoTracking().Where(key.In(chunk)).Select(projection).ToListAsync(cancellationToken).ConfigureAwait(false));
        }

        return [.. found.Values];
    }

    private IQueryable<TEmployee> Employees(TContext db, string tenantId) => db.Set<TEmployee>().AsNoTracking().Where(_model.OfTenant(tenantId));

    public async IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        await using var lease = await _contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var key = _model.Key(db);
        var rows = db.Set<TEmployee>().AsNoTracking()
            .Where(_model.OfTenant(tenantId))
            .Where(_model.Linked())
            .Select(_model.Projection(key, withFields: false))
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return _model.ToStored(row, key);
        }
    }

    public async ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentNullException.ThrowIfNull(changes);
        Check(changes);
        cancellationToken.ThrowIfCancellationRequested();
        if (changes.Count == 0)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var lease = await _contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
            var db = lease.Context;
            try
            {
                // Through the execution strategy, so hosts that enable retry on failure (SQL Server, Npgsql) can use a transaction.
                await db.Database.CreateExecutionStrategy().ExecuteAsync(
                    async token =>
                    {
                        db.ChangeTracker.Clear();
                        await using var transaction = await db.Database.BeginTransactionAsync(token).ConfigureAwait(false);
                        await RunLeaseFence.CheckAsync(db, tenantId, leaseGeneration, $"a batch of {changes.Count} employee change(s)", token).ConfigureAwait(false);
                        var applied = _writeChangeFeed ? new List<(EmployeeChange, TEmployee?)>(changes.Count) : null;
                        var inserted = await ApplyInTransactionAsync(db, tenantId, changes, applied, firstAttempt: attempt == 1, token).ConfigureAwait(false);
                        if (applied is not null)
                        {
                            // The change feed's outbox, in this transaction: the events commit with the changes or not at all.
                            await ChangeOutbox.WriteAsync(db, tenantId, Applied(db, applied, inserted), token).ConfigureAwait(false);
                        }

                        await transaction.CommitAsync(token).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DbUpdateConcurrencyException ex) when (attempt < MaxAttempts)
            {
                // Someone edited (or removed) an employee between our read and our write: the transaction rolled
                // back, so read again and re-apply on top of their edit.
                Log.ConcurrentEdit(_logger, tenantId, changes.Count, attempt, ex);
            }
        }
    }

    private static void Check(IReadOnlyList<EmployeeChange> changes)
    {
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i] ?? throw new ArgumentException($"Change {i} of the batch is null.", nameof(changes));
            if (string.IsNullOrWhiteSpace(change.DirectoryId))
            {
                throw new ArgumentException($"Change {i} ({change.Kind}) has no directory id; nothing in the batch was written.", nameof(changes));
            }

            var needsRecord = change.Kind is EmployeeChangeKind.Create or EmployeeChangeKind.Link or EmployeeChangeKind.Update or EmployeeChangeKind.Reactivate;
            if (needsRecord && change.Record is null)
            {
                throw new ArgumentException($"Change {i} ({change}) needs a record; nothing in the batch was written.", nameof(changes));
            }

            if (change.Kind != EmployeeChangeKind.Create && string.IsNullOrWhiteSpace(change.Key))
            {
                throw new ArgumentException($"Change {i} ({change}) needs the employee's key; nothing in the batch was written.", nameof(changes));
            }

            if (!Enum.IsDefined(change.Kind))
            {
                throw new ArgumentException($"Change {i} has an unknown kind {(int)change.Kind}; nothing in the batch was written.", nameof(changes));
            }
        }
    }

    /// <summary>The applied changes with each employee's key; a created employee's key is the one the database just gave it.</summary>
    private List<(EmployeeChange Change, string? Key)> Applied(TContext db, List<(EmployeeChange Change, TEmployee? Employee)> applied, Dictionary<TEmployee, string>? inserted)
    {
        var key = _model.Key(db);
        return applied.ConvertAll(a => (a.Change,
            a.Employee is null ? a.Change.Key
            : inserted is not null && inserted.TryGetValue(a.Employee, out var insertedKey) ? insertedKey
            : key.Format(db.Entry(a.Employee).Property(key.Name).CurrentValue)));
    }

    /// <summary>
    /// The set-based path for new employees, or <see langword="null"/> for EF Core's tracked path: with an
    /// <c>OnChange</c> hook (it gets a tracked employee and may add rows that refer to it), a provider other than SQLite
    /// and PostgreSQL, or a mapping the set-based path does not write exactly as EF Core would (see
    /// <see cref="SetBasedCreates{TEmployee}.TryCreate"/>).
    /// </summary>
    private SetBasedCreates<TEmployee>? SetBased(TContext db, string tenantId)
    {
        if (_setBased.Known)
        {
            return _setBased.Creates;
        }

        lock (_gate)
        {
            if (!_setBased.Known)
            {
                string reason;
                SetBasedCreates<TEmployee>? creates = null;
                if (_trackedWritesOnly)
                {
                    reason = "tracked writes were asked for";
                }
                else if (_model.OnChange is not null)
                {
                    reason = "an OnChange hook is set (it gets the tracked employee)";
                }
                else
                {
                    creates = SetBasedCreates<TEmployee>.TryCreate(db, _model.DirectoryIdProperty, out reason);
                }

                if (creates is null)
                {
                    Log.TrackedCreates(_logger, typeof(TEmployee).Name, reason, tenantId);
                }

                _setBased = (true, creates);
            }

            return _setBased.Creates;
        }
    }

    private async Task<Dictionary<TEmployee, string>?> ApplyInTransactionAsync(TContext db, string tenantId, IReadOnlyList<EmployeeChange> changes, List<(EmployeeChange, TEmployee?)>? applied, bool firstAttempt, CancellationToken cancellationToken)
    {
        var key = _model.Key(db);
        var setBased = SetBased(db, tenantId);
        var pending = setBased is null ? null : new List<TEmployee>();
        var untracked = setBased is null ? null : new HashSet<TEmployee>(ReferenceEqualityComparer.Instance);
        var set = db.Set<TEmployee>();
        var ofTenant = _model.OfTenant(tenantId);

        // Every keyed statement below matches by key alone, on keys checked to be this tenant's: with the tenant in
        // the same WHERE, SQLite (no statistics) picks the tenant index over the primary key for five keys or more
        // and scans the whole tenant, 50 ms a batch at 100,000 employees.
        var ours = await KeysOfTenantAsync(db, key, tenantId, changes.Where(c => c.Kind != EmployeeChangeKind.Create).Select(c => c.Key!), cancellationToken).ConfigureAwait(false);
        var byKey = new Dictionary<string, TEmployee>(StringComparer.Ordinal);
        var keyed = changes.Where(c => c.Kind is EmployeeChangeKind.Link or EmployeeChangeKind.Update or EmployeeChangeKind.Reactivate).Select(c => c.Key!).Where(ours.Contains).Distinct(StringComparer.Ordinal);
        foreach (var chunk in keyed.Chunk(ChunkSize))
        {
            foreach (var employee in await set.Where(key.In(chunk)).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                byKey[key.Format(db.Entry(employee).Property(key.Name).CurrentValue)] = employee;
            }
        }

        // A create for a directory user that is already linked (a crash after the write, before the checkpoint)
        // repairs that employee instead of adding a second one. Set-based, the first attempt does not look: its
        // INSERT ... ON CONFLICT DO NOTHING finds such a row itself (no row back), the batch rolls back and the retry
        // looks them up and repairs them. A batch of creates then costs one query less (a thousand index probes).
        var byDirectoryId = new Dictionary<string, TEmployee>(StringComparer.OrdinalIgnoreCase);
        var creates = setBased is not null && firstAttempt
            ? []
            : changes.Where(c => c.Kind == EmployeeChangeKind.Create).Select(c => c.DirectoryId).Distinct(StringComparer.Ordinal);
        foreach (var chunk in creates.Chunk(ChunkSize))
        {
            foreach (var employee in await set.Where(ofTenant).Where(_model.DirectoryIdIn(chunk)).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                byDirectoryId[_model.GetDirectoryId(employee)!] = employee;
            }
        }

        // Change detection scans every tracked entity, a third of SaveChanges for a page of creates: the store
        // knows which employees it changed and detects just those, unless a host hook may have changed others.
        var detectAll = _model.OnChange is not null;
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var deactivations = new List<EmployeeChange>();
        var deletions = new List<string>();
        var purges = new List<string>();
        foreach (var change in changes)
        {
            TEmployee? written = null;
            switch (change.Kind)
            {
                case EmployeeChangeKind.Create:
                    if (!byDirectoryId.TryGetValue(change.DirectoryId, out written))
                    {
                        // Filled before it is tracked: an added entity needs no change detection.
                        written = _model.Create(tenantId);
                        _model.Write(written, change);
                        _touch?.Invoke(written);
                        if (pending is not null)
                        {
                            // Inserted set-based after the loop, without the change tracker.
                            pending.Add(written);
                            untracked!.Add(written);
                        }
                        else
                        {
                            set.Add(written);
                        }

                        byDirectoryId[change.DirectoryId] = written;
                        applied?.Add((change, written));
                        await OnChangeAsync(db, tenantId, change, written, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    break;
                case EmployeeChangeKind.Link or EmployeeChangeKind.Update or EmployeeChangeKind.Reactivate:
                    // Gone (removed by hand since sync read it): nothing to update; the next run creates it again.
                    if (!byKey.TryGetValue(change.Key!, out written))
                    {
                        continue;
                    }

                    break;
                case EmployeeChangeKind.Deactivate:
                    deactivations.Add(change);
                    break;
                case EmployeeChangeKind.Delete:
                    deletions.Add(change.Key!);
                    break;
                case EmployeeChangeKind.Purge:
                    purges.Add(change.Key!);
                    break;
            }

            if (applied is not null && (written is not null || ours.Contains(change.Key!)))
            {
                applied.Add((change, written));
            }

            if (written is not null)
            {
                _model.Write(written, change);
                _touch?.Invoke(written);
                if (!detectAll && untracked?.Contains(written) != true)
                {
                    db.Entry(written).DetectChanges();
                }
            }

            await OnChangeAsync(db, tenantId, change, written, cancellationToken).ConfigureAwait(false);
        }

        if (detectAll)
        {
            db.ChangeTracker.DetectChanges();
        }

        // The context is dropped after the batch: accepting the changes would only snapshot every saved employee.
        await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken).ConfigureAwait(false);
        Dictionary<TEmployee, string>? inserted = null;
        if (pending is { Count: > 0 })
        {
            var keys = await setBased!.InsertAsync(db, pending, key.Format, cancellationToken).ConfigureAwait(false);
            inserted = new Dictionary<TEmployee, string>(pending.Count, ReferenceEqualityComparer.Instance);
            for (var i = 0; i < keys.Length; i++)
            {
                inserted[pending[i]] = keys[i];
            }
        }

        var active = Expressions.Compose(_model.DeactivatedAt, d => d == null);
        foreach (var group in deactivations.GroupBy(c => c.Timestamp))
        {
            DateTimeOffset? at = group.Key.ToUniversalTime();
            foreach (var chunk in group.Select(c => c.Key!).Where(ours.Contains).Chunk(ChunkSize))
            {
                await set.Where(key.In(chunk)).Where(active).ExecuteUpdateAsync(
                    setters =>
                    {
                        setters.SetProperty(_model.DeactivatedAt, at);
                        _touchSetBased?.Invoke(setters);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var chunk in deletions.Where(ours.Contains).Chunk(ChunkSize))
        {
            await set.Where(key.In(chunk)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // Purge only employees still deactivated: one reactivated since the run read it stays.
        var deactivated = Expressions.Compose(_model.DeactivatedAt, d => d != null);
        foreach (var chunk in purges.Where(ours.Contains).Chunk(ChunkSize))
        {
            await set.Where(key.In(chunk)).Where(deactivated).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return inserted;
    }

    /// <summary>Which of <paramref name="keys"/> are employees of the tenant, asked by key alone (the tenant test is computed, not filtered on).</summary>
    private async Task<HashSet<string>> KeysOfTenantAsync(TContext db, EmployeeModel<TEmployee>.KeyModel key, string tenantId, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var ours = new HashSet<string>(StringComparer.Ordinal);
        var projection = _model.KeyWithTenantTest(key, tenantId);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(ChunkSize))
        {
            foreach (var row in await db.Set<TEmployee>().AsNoTracking().Where(key.In(chunk)).Select(projection).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (row.InTenant)
                {
                    ours.Add(key.Format(row.Key));
                }
            }
        }

        return ours;
    }

    private ValueTask OnChangeAsync(TContext db, string tenantId, EmployeeChange change, TEmployee? employee, CancellationToken cancellationToken) =>
        _model.OnChange is { } onChange
            ? onChange(new EmployeeChangeContext<TEmployee> { Context = db, TenantId = tenantId, Change = change, Employee = employee }, cancellationToken)
            : ValueTask.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "A batch of {Count} changes for tenant {TenantId} met a concurrent edit (attempt {Attempt}); reading again and re-applying.")]
        public static partial void ConcurrentEdit(ILogger logger, string tenantId, int count, int attempt, Exception exception);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "The EF Core store inserts new {Entity} rows through EF Core's change tracker, not set-based, because {Reason} (first seen for tenant {TenantId}).")]
        public static partial void TrackedCreates(ILogger logger, string entity, string reason, string tenantId);
    }
}
