using EntraSync.Email;

namespace EntraSync.Sync.Internal;

/// <summary>
/// One tenant's run: turns directory pages into planned changes, applies them page by page, and at the end decides
/// removals behind the safety guards. Holds only the current page plus the ids and emails seen in the run.
/// </summary>
internal sealed class SyncRun(
    SyncContext context,
    SyncServices services,
    int writeBatchSize,
    long leaseGeneration)
{
    private readonly DirectoryIdSet _seen = new();
    private readonly EmailClaims _emailOwners = new();
    private readonly Dictionary<string, PendingRemoval> _pendingRemovals = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _removed = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Candidate> _deferred = [];
    private bool _reportedRepeat;
    private readonly Dictionary<string, string?> _photoNeeded = new(StringComparer.OrdinalIgnoreCase);
    private readonly SyncProfile _profile = context.Profile;

    // Per-page working sets, cleared and reused page after page (they never leave the run).
    private readonly Dictionary<string, int> _lastOnPage = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _onThisPage = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> _pageEmails = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _linkedKeys = new(StringComparer.Ordinal);

    public RunLedger Ledger { get; } = new(context.Profile.MaxUserOutcomesInReport);

    public DirectoryReadCompletion? Completion { get; private set; }

    public async Task ProcessPageAsync(DirectoryPage page, CancellationToken cancellationToken)
    {
        if (page.Completion is not null)
        {
            Completion = page.Completion;
            Ledger.Warnings.AddRange(page.Completion.Warnings);
        }

        _onThisPage.Clear();
        foreach (var rejected in page.Rejected)
        {
            if (!string.IsNullOrWhiteSpace(rejected.Id))
            {
                // The directory still has this user; only the record could not be read. It is present, so it is never
                // a leaver: a complete read does not remove it, and a removal on the same page is ambiguous and ignored.
                _seen.Add(rejected.Id);
                _onThisPage.Add(rejected.Id);
                _pendingRemovals.Remove(rejected.Id);
            }

            Ledger.Record(new UserOutcome
            {
                DirectoryId = rejected.Id,
                Action = UserAction.Skipped,
                SkipReason = SkipReason.InvalidRecord,
                Reason = rejected.Reason,
            });
        }

        var candidates = Evaluate(page.Users);
        if (candidates.Count == 0 && page.Removed.Count == 0 && page.OutOfScope.Count == 0)
        {
            return;
        }

        var ids = new List<string>(candidates.Count + page.Removed.Count);
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var candidate in candidates)
        {
            ids.Add(candidate.User.Id);
            if (candidate.Email is not null && candidate.IsImportable)
            {
                emails.Add(candidate.Email);
            }
        }

        foreach (var removal in page.Removed)
        {
            if (!string.IsNullOrWhiteSpace(removal.Id))
            {
                ids.Add(removal.Id);
            }
        }

        foreach (var exit in page.OutOfScope)
        {
            if (!string.IsNullOrWhiteSpace(exit.Id))
            {
                ids.Add(exit.Id);
            }
        }

        var (byId, byEmail) = Index(await services.Store.FindAsync(context.TenantId, ids, emails, cancellationToken).ConfigureAwait(false));

        // Removals first: an employee who is leaving does not block a newcomer with the same email.
        // A removal on a later page than the user's own entry is the newer event (delta does not promise an order
        // across pages); on the same page the user's entry (or its rejected record) wins, so an ambiguous page removes nobody.
        foreach (var candidate in candidates)
        {
            _onThisPage.Add(candidate.User.Id);
        }

        foreach (var removal in page.Removed)
        {
            if (string.IsNullOrWhiteSpace(removal.Id) || _onThisPage.Contains(removal.Id))
            {
                continue;
            }

            _seen.Remove(removal.Id);

            if (byId.TryGetValue(removal.Id, out var employee) && employee.IsActive)
            {
                var cause = removal.Reason == DirectoryRemovalReason.SoftDeleted
                    ? RemovalCause.SoftDeletedInDirectory
                    : RemovalCause.DeletedInDirectory;
                _pendingRemovals[removal.Id] = new PendingRemoval(employee, cause);
            }
        }

        // Users the source found outside the directory scope (for example no longer matching the OData filter on a delta read).
        foreach (var exit in page.OutOfScope)
        {
            if (string.IsNullOrWhiteSpace(exit.Id) || !_seen.Add(exit.Id))
            {
                continue;
            }

            Ledger.Record(new UserOutcome { DirectoryId = exit.Id, Action = UserAction.OutOfScope, Reason = exit.Reason });
            if (byId.TryGetValue(exit.Id, out var employee) && employee.IsActive)
            {
                _pendingRemovals[exit.Id] = new PendingRemoval(employee, RemovalCause.OutOfScope, exit.Reason);
            }
        }

        await PlanAndWriteAsync(candidates, byId, byEmail, final: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task PlanAndWriteAsync(
        List<Candidate> candidates,
        Dictionary<string, StoredEmployee> byId,
        Dictionary<string, List<StoredEmployee>> byEmail,
        bool final,
        CancellationToken cancellationToken)
    {
        _pageEmails.Clear();
        foreach (var candidate in candidates)
        {
            _pageEmails[candidate.User.Id] = candidate.IsImportable ? candidate.Email?.Trim() : null;
        }

        var changes = new List<EmployeeChange>(candidates.Count);
        _linkedKeys.Clear();
        foreach (var candidate in candidates)
        {
            var change = Plan(candidate, byId.GetValueOrDefault(candidate.User.Id), byEmail, _linkedKeys, _pageEmails, final);
            if (change is not null)
            {
                changes.Add(change);
            }
        }

        await AttachPhotosAsync(changes, cancellationToken).ConfigureAwait(false);
        await WriteAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Newcomers held back because an employee not yet seen in this run held their email: now that the run knows who
    /// left, plan them again so the email passes to them in this run rather than the next.
    /// </summary>
    private async Task PlanDeferredAsync(CancellationToken cancellationToken)
    {
        if (_deferred.Count == 0)
        {
            return;
        }

        var ids = _deferred.Select(c => c.User.Id).ToList();
        var emails = _deferred.Select(c => c.Email!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var (byId, byEmail) = Index(await services.Store.FindAsync(context.TenantId, ids, emails, cancellationToken).ConfigureAwait(false));
        var deferred = _deferred.ToList();
        _deferred.Clear();
        await PlanAndWriteAsync(deferred, byId, byEmail, final: true, cancellationToken).ConfigureAwait(false);
    }

    private static (Dictionary<string, StoredEmployee> ById, Dictionary<string, List<StoredEmployee>> ByEmail) Index(IReadOnlyList<StoredEmployee> stored)
    {
        var byId = new Dictionary<string, StoredEmployee>(StringComparer.OrdinalIgnoreCase);
        var byEmail = new Dictionary<string, List<StoredEmployee>>(StringComparer.OrdinalIgnoreCase);
        foreach (var employee in stored)
        {
            if (employee.DirectoryId is not null)
            {
                byId[employee.DirectoryId] = employee;
            }

            if (!string.IsNullOrWhiteSpace(employee.Email))
            {
                var key = employee.Email.Trim();
                if (!byEmail.TryGetValue(key, out var list))
                {
                    byEmail[key] = list = [];
                }

                list.Add(employee);
            }
        }

        return (byId, byEmail);
    }

    /// <summary>After a complete read: who left, the deletion guard, retention purges.</summary>
    public async Task FinishAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var completion = Completion!;
        var activeLinked = 0;
        var purges = new List<EmployeeChange>();
        if (completion.IsFullEnumeration || _pendingRemovals.Count > 0)
        {
            await foreach (var employee in services.Store.ReadLinkedAsync(context.TenantId, cancellationToken).ConfigureAwait(false))
            {
                if (employee.DirectoryId is null)
                {
                    continue;
                }

                if (employee.IsActive)
                {
                    activeLinked++;
                    if (completion.IsFullEnumeration && !_seen.Contains(employee.DirectoryId) && !_pendingRemovals.ContainsKey(employee.DirectoryId))
                    {
                        _pendingRemovals[employee.DirectoryId] = new PendingRemoval(employee, RemovalCause.NotInDirectory);
                    }
                }
                else if (!_seen.Contains(employee.DirectoryId) && services.Retention.ShouldPurge(employee, now, context))
                {
                    purges.Add(new EmployeeChange
                    {
                        Kind = EmployeeChangeKind.Purge,
                        DirectoryId = employee.DirectoryId,
                        Key = employee.Key,
                        Timestamp = now,
                        Reason = $"deactivated on {employee.DeactivatedAt:yyyy-MM-dd}, retention of {_profile.Removal.RetentionPeriod.TotalDays:0.#} days has passed",
                    });
                    Ledger.Plan(employee.DirectoryId, UserAction.Purged, Ledger.HasRoom ? new UserOutcome
                    {
                        DirectoryId = employee.DirectoryId,
                        Email = employee.Email,
                        Action = UserAction.Purged,
                        Reason = purges[^1].Reason,
                    } : null);
                }
            }
        }

        var removals = new List<(PendingRemoval Pending, RemovalAction Action)>();
        foreach (var pending in _pendingRemovals.Values)
        {
            var action = services.Retention.DecideRemoval(pending.Employee, pending.Cause, context);
            if (action == RemovalAction.Keep)
            {
                Ledger.Record(Outcome(pending, UserAction.Kept, "kept by the removal policy: " + Describe(pending.Cause)));
            }
            else
            {
                removals.Add((pending, action));
            }
        }

        if (removals.Count > 0 && ExceedsThreshold(removals.Count, activeLinked, out var why))
        {
            await StageAsync(removals, why, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var changes = new List<EmployeeChange>(removals.Count);
            foreach (var (pending, action) in removals)
            {
                changes.Add(RemovalChange(pending, action, now));
                _removed.Add(pending.Employee.DirectoryId!);
                PlanRemoval(pending, action);
            }

            await WriteAsync(changes, cancellationToken).ConfigureAwait(false);
        }

        await ReconcileStagedAsync(completion.IsFullEnumeration, now, cancellationToken).ConfigureAwait(false);

        await PlanDeferredAsync(cancellationToken).ConfigureAwait(false);

        await WriteAsync(purges, cancellationToken).ConfigureAwait(false);
    }

    public string? StagedRemovalsId { get; private set; }

    /// <summary>Single-user sync: the directory says this linked employee's user is gone.</summary>
    public void AddRemoval(StoredEmployee employee, RemovalCause cause)
    {
        _seen.Add(employee.DirectoryId!);
        _pendingRemovals[employee.DirectoryId!] = new PendingRemoval(employee, cause);
    }

    /// <summary>
    /// Single-user sync: decides the one user's removal (if any) and a newcomer held back for its email. Unlike
    /// <see cref="FinishAsync"/> it reads nobody else and purges nobody; a removal the deletion guard would hold is
    /// kept (a single-user sync never stages removals, which would supersede a full run's pending set).
    /// </summary>
    public async Task FinishOneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var pending in _pendingRemovals.Values.ToList())
        {
            var action = services.Retention.DecideRemoval(pending.Employee, pending.Cause, context);
            if (action == RemovalAction.Keep)
            {
                Ledger.Record(Outcome(pending, UserAction.Kept, "kept by the removal policy: " + Describe(pending.Cause)));
                continue;
            }

            var activeLinked = int.MaxValue;
            if (_profile.Removal.PercentageGuardMinimum <= 1)
            {
                activeLinked = 0;
                await foreach (var employee in services.Store.ReadLinkedAsync(context.TenantId, cancellationToken).ConfigureAwait(false))
                {
                    activeLinked += employee.IsActive && employee.DirectoryId is not null ? 1 : 0;
                }
            }

            if (ExceedsThreshold(1, activeLinked, out var why))
            {
                Ledger.Record(Outcome(pending, UserAction.Kept, $"held back by the deletion guard ({why}); run a full sync to stage it for approval"));
                continue;
            }

            _removed.Add(pending.Employee.DirectoryId!);
            PlanRemoval(pending, action);
            await WriteAsync([RemovalChange(pending, action, now)], cancellationToken).ConfigureAwait(false);
        }

        await PlanDeferredAsync(cancellationToken).ConfigureAwait(false);
    }

    private void PlanRemoval(PendingRemoval pending, RemovalAction action)
    {
        var userAction = action == RemovalAction.Delete ? UserAction.Deleted : UserAction.Deactivated;
        Ledger.Plan(pending.Employee.DirectoryId!, userAction, Ledger.HasRoom ? Outcome(pending, userAction, Describe(pending.Cause)) : null);
    }

    internal static EmployeeChange RemovalChange(PendingRemoval pending, RemovalAction action, DateTimeOffset now) => new()
    {
        Kind = action == RemovalAction.Delete ? EmployeeChangeKind.Delete : EmployeeChangeKind.Deactivate,
        DirectoryId = pending.Employee.DirectoryId!,
        Key = pending.Employee.Key,
        Timestamp = now,
        Reason = Describe(pending.Cause),
    };

    internal static string Describe(RemovalCause cause) => cause switch
    {
        RemovalCause.NotInDirectory => "not returned by the directory any more (deleted, or outside the configured scope)",
        RemovalCause.SoftDeletedInDirectory => "deleted in the directory (restorable there)",
        RemovalCause.DeletedInDirectory => "permanently deleted in the directory",
        _ => "no longer in the tenant's scope",
    };

    private static UserOutcome Outcome(PendingRemoval pending, UserAction action, string reason) => new()
    {
        DirectoryId = pending.Employee.DirectoryId,
        Email = pending.Employee.Email,
        Action = action,
        Reason = pending.Cause == RemovalCause.OutOfScope && pending.ScopeReason is not null ? $"{reason}: {pending.ScopeReason}" : reason,
    };

    private bool ExceedsThreshold(int count, int activeLinked, out string why)
    {
        var removal = _profile.Removal;
        if (count > removal.MaxRemovalsPerRun)
        {
            why = $"{count} removals exceed the limit of {removal.MaxRemovalsPerRun} per run (Removal:MaxRemovalsPerRun)";
            return true;
        }

        var percent = activeLinked == 0 ? 100 : count * 100.0 / activeLinked;
        if (count >= removal.PercentageGuardMinimum && percent > removal.MaxRemovalPercentPerRun)
        {
            why = $"{count} removals are {percent:0.#}% of {activeLinked} active employees, above the limit of {removal.MaxRemovalPercentPerRun:0.#}% per run (Removal:MaxRemovalPercentPerRun)";
            return true;
        }

        why = "";
        return false;
    }

    private async Task StageAsync(List<(PendingRemoval Pending, RemovalAction Action)> removals, string why, DateTimeOffset now, CancellationToken cancellationToken)
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
            Ledger.Record(Outcome(pending, UserAction.Staged, "removal staged for approval: " + Describe(pending.Cause)));
        }

        if (context.IsDryRun)
        {
            Ledger.Warnings.Add($"Removals would be staged for approval: {why}.");
            return;
        }

        Ledger.Warnings.Add($"Removals staged for approval, nobody removed: {why}. Review them and approve or reject (staged removals {staged.Id}).");
        StagedRemovalsId = staged.Id;
        await services.State.SaveStagedRemovalsAsync(staged, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the tenant's pending staged removals true to this complete read. A full read decided every removal
    /// afresh (applied, staged again, or found the people back), so it supersedes every older pending set. An
    /// incremental read only proves who is still there: the employees it saw in the directory (and those it removed
    /// itself) are taken off the pending sets, so approving one later never removes someone who came back.
    /// </summary>
    private async Task ReconcileStagedAsync(bool fullRead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (context.IsDryRun)
        {
            return;
        }

        foreach (var set in await services.State.GetStagedRemovalsAsync(context.TenantId, cancellationToken).ConfigureAwait(false))
        {
            if (set.Status != StagedRemovalsStatus.Pending || string.Equals(set.Id, StagedRemovalsId, StringComparison.Ordinal))
            {
                continue;
            }

            if (fullRead)
            {
                await services.State.SaveStagedRemovalsAsync(StagedRemovalsDecision.Decide(set, StagedRemovalsStatus.Superseded, now, SupersededBy(context.RunId)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            var still = set.Removals.Where(r => !_removed.Contains(r.DirectoryId) && !(_seen.Contains(r.DirectoryId) && !_pendingRemovals.ContainsKey(r.DirectoryId))).ToList();
            if (still.Count == set.Removals.Count)
            {
                continue;
            }

            var dropped = set.Removals.Count - still.Count;
            Ledger.Warnings.Add(still.Count == 0
                ? $"Staged removals {set.Id} are superseded: every one of their {dropped} employee(s) is back in the directory or was removed by this run."
                : $"Staged removals {set.Id}: {dropped} employee(s) back in the directory (or removed by this run) were taken off the list; {still.Count} still wait for approval.");
            await services.State.SaveStagedRemovalsAsync(
                still.Count == 0 ? StagedRemovalsDecision.Decide(set, StagedRemovalsStatus.Superseded, now, SupersededBy(context.RunId)) : StagedRemovalsDecision.WithRemovals(set, still),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Who superseded a staged set, as <see cref="StagedRemovals.DecidedBy"/> records it.</summary>
    internal static string SupersededBy(string runId) => $"run {runId} (a later complete read)";

    private List<Candidate> Evaluate(IReadOnlyList<DirectoryUser> users)
    {
        // The same user can appear twice on a page (delta replays): the last occurrence is the newest state.
        var last = _lastOnPage;
        last.Clear();
        for (var i = 0; i < users.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(users[i]?.Id))
            {
                last[users[i].Id] = i;
            }
        }

        var candidates = new List<Candidate>(last.Count);
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            Ledger.Read++;
            if (user is null || string.IsNullOrWhiteSpace(user.Id))
            {
                Ledger.Record(new UserOutcome { Action = UserAction.Skipped, SkipReason = SkipReason.InvalidRecord, Reason = "the directory record has no id" });
                continue;
            }

            if (last[user.Id] != i)
            {
                Ledger.Read--;
                if (!_reportedRepeat)
                {
                    _reportedRepeat = true;
                    Ledger.Warnings.Add($"The directory sent the same user more than once on one page (first: {user.Id}); the last entry of each was used.");
                }

                continue;
            }

            if (!_seen.Add(user.Id) && context.IsDryRun)
            {
                // Already planned earlier in this dry run; a real run re-reads the store and converges instead.
                continue;
            }

            _pendingRemovals.Remove(user.Id);
            candidates.Add(EvaluateOne(user));
        }

        return candidates;
    }

    private Candidate EvaluateOne(DirectoryUser user)
    {
        try
        {
            var email = EmailResolver.Resolve(user, _profile.Email);
            var scope = services.Filter.Evaluate(user, context);
            if (!scope.IsInScope)
            {
                return new Candidate(user, email, scope, null, null, null, null, null);
            }

            var fields = services.Mapper.Map(user, email, context);
            var match = services.Matcher.Match(user, context);
            var record = new EmployeeRecord
            {
                Email = email,
                Fields = fields,
                Assignment = match.Assignment,
                PhotoETag = _profile.Photos.Enabled ? user.Photo?.ETag : null,
            };

            var (skip, reason) = Pipeline.CheckMandatory(_profile, email, fields);
            return new Candidate(user, email, scope, record, ContentHash.Compute(record), match, skip, reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Candidate(user, null, ScopeDecision.InScope, null, null, null, SkipReason.InvalidRecord, $"the record could not be read: {ex.Message}");
        }
    }

    private EmployeeChange? Plan(
        Candidate candidate,
        StoredEmployee? linked,
        Dictionary<string, List<StoredEmployee>> byEmail,
        HashSet<string> linkedKeys,
        Dictionary<string, string?> pageEmails,
        bool final)
    {
        var user = candidate.User;
        var displayName = user.GetString("displayName");
        if (!candidate.Scope.IsInScope)
        {
            Ledger.Record(new UserOutcome { DirectoryId = user.Id, Email = candidate.Email, DisplayName = displayName, Action = UserAction.OutOfScope, Reason = candidate.Scope.Reason });
            if (linked is { IsActive: true })
            {
                _pendingRemovals[user.Id] = new PendingRemoval(linked, RemovalCause.OutOfScope, candidate.Scope.Reason);
            }

            return null;
        }

        if (candidate.Skip is { } skip)
        {
            Ledger.Record(new UserOutcome { DirectoryId = user.Id, Email = candidate.Email, DisplayName = displayName, Action = UserAction.Skipped, SkipReason = skip, Reason = candidate.SkipText });
            return null;
        }

        var record = candidate.Record!;
        Ledger.RecordUnmatched(candidate.Match!);
        var emailKey = record.Email?.Trim();
        var now = context.StartedAt;
        if (linked is not null)
        {
            if (emailKey is not null)
            {
                _emailOwners.Claim(EmailClaims.KeyOf(emailKey), user.Id);
            }

            if (linked.IsActive && string.Equals(linked.ContentHash, candidate.Hash, StringComparison.Ordinal))
            {
                Ledger.Unchanged++;
                return null;
            }

            NotePhoto(user.Id, record, linked.PhotoETag);
            var diff = ContentHash.Diff(record, linked);
            var kind = linked.IsActive ? EmployeeChangeKind.Update : EmployeeChangeKind.Reactivate;
            var action = linked.IsActive ? UserAction.Updated : UserAction.Reactivated;
            if (linked.IsActive && diff.Count == 0 && string.Equals(linked.PhotoETag, record.PhotoETag, StringComparison.Ordinal))
            {
                // Only the stored hash is stale (for example after an upgrade changed how it is computed): refresh it quietly.
                action = UserAction.Updated;
            }

            CountAssignment(candidate);
            Ledger.Plan(user.Id, action, Ledger.HasRoom ? new UserOutcome
            {
                DirectoryId = user.Id,
                Email = record.Email,
                DisplayName = displayName,
                Action = action,
                ChangedFields = diff,
                Assignment = record.Assignment,
                Reason = kind == EmployeeChangeKind.Reactivate ? "back in the directory within the retention period" : candidate.Match?.Note,
            } : null);

            return new EmployeeChange
            {
                Kind = kind,
                DirectoryId = user.Id,
                Key = linked.Key,
                Record = record,
                ContentHash = candidate.Hash,
                ChangedFields = diff,
                PreviousAssignment = linked.Assignment,
                Timestamp = now,
                Reason = kind == EmployeeChangeKind.Reactivate ? "back in the directory within the retention period" : null,
            };
        }

        StoredEmployee? local = null;
        if (emailKey is not null)
        {
            UserOutcome Duplicate(string other) => new()
            {
                DirectoryId = user.Id,
                Email = record.Email,
                DisplayName = displayName,
                Action = UserAction.Skipped,
                SkipReason = SkipReason.DuplicateEmail,
                Reason = $"two directory users have the email {record.Email}: this one and {other}",
            };

            var claim = EmailClaims.KeyOf(emailKey);
            if (!_emailOwners.IsOwnedBy(claim, user.Id) && _emailOwners.TryGetOwner(claim, out var owner))
            {
                Ledger.Record(Duplicate(owner));
                return null;
            }

            if (byEmail.TryGetValue(emailKey, out var sameEmail))
            {
                var other = sameEmail.FirstOrDefault(e => e.DirectoryId is not null && e.IsActive
                    && !string.Equals(e.DirectoryId, user.Id, StringComparison.OrdinalIgnoreCase)
                    && StillHoldsEmail(e, emailKey, claim, pageEmails));
                if (other is not null && !final && !_seen.Contains(other.DirectoryId!))
                {
                    // The holder has not been seen in this run yet: it may turn out to have left. Decide at the end.
                    _deferred.Add(candidate);
                    return null;
                }

                if (other is not null)
                {
                    Ledger.Record(Duplicate($"{other.DirectoryId}, which is already linked"));
                    return null;
                }

                local = sameEmail.FirstOrDefault(e => e.DirectoryId is null && !linkedKeys.Contains(e.Key));
            }

            _emailOwners.Claim(claim, user.Id);
        }

        CountAssignment(candidate);
        if (local is not null)
        {
            linkedKeys.Add(local.Key);
            NotePhoto(user.Id, record, local.PhotoETag);
            var diff = ContentHash.Diff(record, local);
            Ledger.Plan(user.Id, UserAction.Linked, new UserOutcome
            {
                DirectoryId = user.Id,
                Email = record.Email,
                DisplayName = displayName,
                Action = UserAction.Linked,
                ChangedFields = diff,
                Assignment = record.Assignment,
                Reason = candidate.Match?.Note is { } note ? $"a local employee had the same email; {note}" : "a local employee had the same email",
            });
            return new EmployeeChange
            {
                Kind = EmployeeChangeKind.Link,
                DirectoryId = user.Id,
                Key = local.Key,
                Record = record,
                ContentHash = candidate.Hash,
                ChangedFields = diff,
                PreviousAssignment = local.Assignment,
                Timestamp = now,
                Reason = "a local employee had the same email",
            };
        }

        NotePhoto(user.Id, record, null);
        Ledger.Plan(user.Id, UserAction.Created, Ledger.HasRoom
            ? new UserOutcome { DirectoryId = user.Id, Email = record.Email, DisplayName = displayName, Action = UserAction.Created, Assignment = record.Assignment, Reason = candidate.Match?.Note }
            : null);

        return new EmployeeChange
        {
            Kind = EmployeeChangeKind.Create,
            DirectoryId = user.Id,
            Record = record,
            ContentHash = candidate.Hash,
            Timestamp = now,
        };
    }

    private void NotePhoto(string id, EmployeeRecord record, string? storedETag)
    {
        if (_profile.Photos.Enabled && record.PhotoETag is not null && !string.Equals(record.PhotoETag, storedETag, StringComparison.Ordinal))
        {
            _photoNeeded[id] = storedETag;
        }
    }

    /// <summary>Whether a linked employee still holds an email, given what this run has seen of its directory user.</summary>
    private bool StillHoldsEmail(StoredEmployee employee, string emailKey, EmailKey claim, Dictionary<string, string?> pageEmails)
    {
        var id = employee.DirectoryId!;
        if (_removed.Contains(id))
        {
            return false;
        }

        if (pageEmails.TryGetValue(id, out var current))
        {
            return string.Equals(current, emailKey, StringComparison.OrdinalIgnoreCase);
        }

        if (_seen.Contains(id))
        {
            return _emailOwners.IsOwnedBy(claim, id);
        }

        return true;
    }

    private void CountAssignment(Candidate candidate)
    {
        // AssignmentMatch.None means matching is not configured for the tenant: nobody is "unassigned" then.
        if (!ReferenceEquals(candidate.Match, AssignmentMatch.None) && candidate.Record!.Assignment.IsUnassigned)
        {
            Ledger.Unassigned++;
        }
    }

    private async Task AttachPhotosAsync(List<EmployeeChange> changes, CancellationToken cancellationToken)
    {
        if (!_profile.Photos.Enabled || context.IsDryRun || _photoNeeded.Count == 0)
        {
            return;
        }

        var request = new DirectoryReadRequest { Context = context };
        var needing = new List<int>();
        for (var i = 0; i < changes.Count; i++)
        {
            if (_photoNeeded.ContainsKey(changes[i].DirectoryId))
            {
                needing.Add(i);
            }
        }

        await Parallel.ForEachAsync(
            needing,
            new ParallelOptions { MaxDegreeOfParallelism = _profile.Photos.MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var change = changes[i];
                var previousETag = _photoNeeded[change.DirectoryId];
                DirectoryPhoto? photo;
                try
                {
                    photo = await services.Source.GetPhotoAsync(request, change.DirectoryId, ct).ConfigureAwait(false);
                }
                catch (DirectoryException ex)
                {
                    // Keep the old ETag so the next run tries the photo again; the rest of the change still applies.
                    lock (Ledger)
                    {
                        Ledger.Warnings.Add($"The photo of {change.Record?.Email ?? change.DirectoryId} could not be downloaded and is tried again next run: {ex.Message}");
                    }

                    var record = WithPhotoETag(change.Record!, previousETag);
                    changes[i] = Copy(change, record, ContentHash.Compute(record), null);
                    return;
                }

                changes[i] = Copy(change, change.Record, change.ContentHash, photo);
            }).ConfigureAwait(false);

        foreach (var change in changes)
        {
            _photoNeeded.Remove(change.DirectoryId);
        }
    }

    private static EmployeeRecord WithPhotoETag(EmployeeRecord record, string? etag)
    {
        var fields = new OrderedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in record.Fields)
        {
            fields[name] = string.Equals(value, record.PhotoETag, StringComparison.Ordinal) && name == FieldNames.Photo ? etag : value;
        }

        return new EmployeeRecord { Email = record.Email, Fields = fields, Assignment = record.Assignment, PhotoETag = etag };
    }

    private static EmployeeChange Copy(EmployeeChange change, EmployeeRecord? record, string? hash, DirectoryPhoto? photo) => new()
    {
        Kind = change.Kind,
        DirectoryId = change.DirectoryId,
        Key = change.Key,
        Record = record,
        ContentHash = hash,
        ChangedFields = change.ChangedFields,
        PreviousAssignment = change.PreviousAssignment,
        Timestamp = change.Timestamp,
        Reason = change.Reason,
        Photo = photo,
    };

    private async Task WriteAsync(List<EmployeeChange> changes, CancellationToken cancellationToken)
    {
        if (context.IsDryRun)
        {
            // Nothing is written in a dry run: the report counts what would be.
            Ledger.Commit(changes);
            return;
        }

        await WriteBatchesAsync(services.Store, context.TenantId, changes, writeBatchSize, leaseGeneration, Ledger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="changes"/> in batches under the run's lease, counting each batch in the ledger once the store committed it.</summary>
    internal static async Task WriteBatchesAsync(IEmployeeStore store, string tenantId, List<EmployeeChange> changes, int batchSize, long leaseGeneration, RunLedger ledger, CancellationToken cancellationToken)
    {
        for (var start = 0; start < changes.Count; start += batchSize)
        {
            var batch = start == 0 && changes.Count <= batchSize ? changes : changes.GetRange(start, Math.Min(batchSize, changes.Count - start));
            await store.ApplyAsync(tenantId, batch, leaseGeneration, cancellationToken).ConfigureAwait(false);
            ledger.Commit(batch);
        }
    }

    private sealed record Candidate(
        DirectoryUser User,
        string? Email,
        ScopeDecision Scope,
        EmployeeRecord? Record,
        string? Hash,
        AssignmentMatch? Match,
        SkipReason? Skip,
        string? SkipText)
    {
        public bool IsImportable => Scope.IsInScope && Skip is null;
    }
}

/// <summary>A linked employee sync intends to remove, and why.</summary>
internal sealed record PendingRemoval(StoredEmployee Employee, RemovalCause Cause, string? ScopeReason = null);

/// <summary>The parts a run uses.</summary>
internal sealed record SyncServices(
    IDirectorySource Source,
    IEmployeeStore Store,
    ISyncStateStore State,
    IFieldMapper Mapper,
    IUserFilter Filter,
    IAssignmentMatcher Matcher,
    IRetentionPolicy Retention);
