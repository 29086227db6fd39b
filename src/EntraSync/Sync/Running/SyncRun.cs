using EntraSync.Sync.Applying;
using EntraSync.Sync.Evaluation;
using EntraSync.Sync.Guards;
using EntraSync.Sync.Planning;
using EntraSync.Sync.Reporting;

namespace EntraSync.Sync.Running;

/// <summary>
/// One tenant's run, step by step: each directory page is evaluated (<see cref="UserEvaluator"/>), reconciled with
/// the stored employees and planned (<see cref="SyncPlanner"/>), and applied (<see cref="PhotoFetcher"/>,
/// <see cref="ChangeWriter"/>); at the end of a complete read, removals pass the guards (<see cref="RemovalGuard"/>,
/// <see cref="StagedRemovalsGuard"/>). This class does the I/O between those steps; the steps decide. Holds only the
/// current page plus the ids and emails seen in the run (<see cref="RunMemory"/>).
/// </summary>
internal sealed class SyncRun
{
    private readonly SyncContext _context;
    private readonly SyncServices _services;
    private readonly RunMemory _memory = new();
    private readonly SyncPlanner _planner;
    private readonly RemovalGuard _guard;
    private readonly StagedRemovalsGuard _staging;
    private readonly PhotoFetcher _photos;
    private readonly ChangeWriter _writer;

    public SyncRun(SyncContext context, SyncServices services, int writeBatchSize, long leaseGeneration)
    {
        _context = context;
        _services = services;
        Ledger = new RunLedger(context.Profile.MaxUserOutcomesInReport);
        var evaluator = new UserEvaluator(services.Mapper, services.Filter, services.Matcher);
        _planner = new SyncPlanner(context, evaluator, services.Retention, Ledger, _memory);
        _guard = new RemovalGuard(context, services.Retention, Ledger, _memory);
        _staging = new StagedRemovalsGuard(context, services.State, Ledger, _memory);
        _photos = new PhotoFetcher(context, services.Source, Ledger, _memory.PhotoNeeded);
        _writer = new ChangeWriter(services.Store, context.TenantId, writeBatchSize, leaseGeneration, Ledger, context.IsDryRun, services.Feed, context.RunId);
    }

    public RunLedger Ledger { get; }

    public DirectoryReadCompletion? Completion { get; private set; }

    public string? StagedRemovalsId => _staging.StagedRemovalsId;

    /// <summary>Evaluate, reconcile, plan and apply one page.</summary>
    public async Task ProcessPageAsync(DirectoryPage page, CancellationToken cancellationToken)
    {
        if (page.Completion is not null)
        {
            Completion = page.Completion;
            Ledger.Warnings.AddRange(page.Completion.Warnings);
        }

        var candidates = _planner.Admit(page);
        if (!SyncPlanner.NeedsStore(page, candidates))
        {
            return;
        }

        var (ids, emails) = SyncPlanner.LookupKeys(page, candidates);
        var stored = new StoredEmployeeIndex(await _services.Store.FindAsync(_context.TenantId, ids, emails, cancellationToken).ConfigureAwait(false));
        await ApplyAsync(_planner.PlanPage(page, candidates, stored), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a complete read: who left, the deletion guard, retention purges.</summary>
    public async Task FinishAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var completion = Completion!;
        var activeLinked = 0;
        var purges = new List<EmployeeChange>();
        if (completion.IsFullEnumeration || _memory.PendingRemovals.Count > 0)
        {
            await foreach (var employee in _services.Store.ReadLinkedAsync(_context.TenantId, cancellationToken).ConfigureAwait(false))
            {
                if (employee.DirectoryId is null)
                {
                    continue;
                }

                activeLinked += employee.IsActive ? 1 : 0;
                if (_planner.ConsiderLinked(employee, completion.IsFullEnumeration, now) is { } purge)
                {
                    purges.Add(purge);
                }
            }
        }

        var removals = _guard.Decide();
        if (removals.Count > 0 && _guard.ExceedsThreshold(removals.Count, activeLinked, out var why))
        {
            await _staging.StageAsync(removals, why, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var changes = new List<EmployeeChange>(removals.Count);
            foreach (var (pending, action) in removals)
            {
                changes.Add(_guard.Pass(pending, action, now));
            }

            await _writer.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
        }

        await _staging.ReconcileAsync(completion.IsFullEnumeration, now, cancellationToken).ConfigureAwait(false);
        await PlanDeferredAsync(cancellationToken).ConfigureAwait(false);
        await _writer.WriteAsync(purges, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Single-user sync: the directory says this linked employee's user is gone.</summary>
    public void AddRemoval(StoredEmployee employee, RemovalCause cause) => _planner.AddRemoval(employee, cause);

    /// <summary>
    /// Single-user sync: decides the one user's removal (if any) and a newcomer held back for its email. Unlike
    /// <see cref="FinishAsync"/> it reads nobody else and purges nobody; a removal the deletion guard would hold is
    /// kept (a single-user sync never stages removals, which would supersede a full run's pending set).
    /// </summary>
    public async Task FinishOneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (pending, action) in _guard.Decide())
        {
            var activeLinked = int.MaxValue;
            if (_guard.PercentageGuardsOne)
            {
                activeLinked = 0;
                await foreach (var employee in _services.Store.ReadLinkedAsync(_context.TenantId, cancellationToken).ConfigureAwait(false))
                {
                    activeLinked += employee.IsActive && employee.DirectoryId is not null ? 1 : 0;
                }
            }

            if (_guard.ExceedsThreshold(1, activeLinked, out var why))
            {
                _guard.Keep(pending, $"held back by the deletion guard ({why}); run a full sync to stage it for approval");
                continue;
            }

            await _writer.WriteAsync([_guard.Pass(pending, action, now)], cancellationToken).ConfigureAwait(false);
        }

        await PlanDeferredAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PlanDeferredAsync(CancellationToken cancellationToken)
    {
        var deferred = _planner.TakeDeferred();
        if (deferred.Count == 0)
        {
            return;
        }

        var ids = deferred.Select(c => c.User.Id).ToList();
        var emails = deferred.Select(c => c.Email!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var stored = new StoredEmployeeIndex(await _services.Store.FindAsync(_context.TenantId, ids, emails, cancellationToken).ConfigureAwait(false));
        await ApplyAsync(_planner.PlanDeferred(deferred, stored), cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyAsync(SyncPlan plan, CancellationToken cancellationToken)
    {
        await _photos.AttachAsync(plan.Changes, cancellationToken).ConfigureAwait(false);
        await _writer.WriteAsync(plan.Changes, cancellationToken).ConfigureAwait(false);
    }
}
