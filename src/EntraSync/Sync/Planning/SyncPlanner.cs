using EntraSync.Sync.Evaluation;
using EntraSync.Sync.Reporting;

namespace EntraSync.Sync.Planning;

/// <summary>
/// Reconcile and plan, without I/O: compares a page of evaluated users (and the page's removals and scope exits) with
/// the stored employees the run looked up for it, and decides each user's change: create, update (with the field diff),
/// link a local employee by email, reactivate, or none (unchanged, skipped or out of scope, with the reason in the
/// ledger). Removals are only remembered here (<see cref="RunMemory.PendingRemovals"/>); the guards decide them at the end.
/// </summary>
/// <param name="context">The run.</param>
/// <param name="evaluator">Judges each user.</param>
/// <param name="retention">Decides purges of deactivated employees.</param>
/// <param name="ledger">Where outcomes, counts and warnings go.</param>
/// <param name="memory">What the run remembers across pages.</param>
internal sealed partial class SyncPlanner(SyncContext context, UserEvaluator evaluator, IRetentionPolicy retention, RunLedger ledger, RunMemory memory)
{
    private readonly SyncProfile _profile = context.Profile;
    private bool _reportedRepeat;

    // Per-page working sets, cleared and reused page after page (they never leave the run).
    private readonly Dictionary<string, int> _lastOnPage = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _onThisPage = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> _pageEmails = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _linkedKeys = new(StringComparer.Ordinal);

    /// <summary>
    /// First half of a page: records the records the source rejected and evaluates the page's users (the last entry of
    /// a user repeated on the page wins). Returns the users to plan.
    /// </summary>
    public List<UserEvaluation> Admit(DirectoryPage page)
    {
        _onThisPage.Clear();
        foreach (var rejected in page.Rejected)
        {
            if (!string.IsNullOrWhiteSpace(rejected.Id))
            {
                // The directory still has this user; only the record could not be read. It is present, so it is never
                // a leaver: a complete read does not remove it, and a removal on the same page is ambiguous and ignored.
                memory.Seen.Add(rejected.Id);
                _onThisPage.Add(rejected.Id);
                memory.PendingRemovals.Remove(rejected.Id);
            }

            ledger.Record(new UserOutcome
            {
                DirectoryId = rejected.Id,
                Action = UserAction.Skipped,
                SkipReason = SkipReason.InvalidRecord,
                Reason = rejected.Reason,
            });
        }

        return Evaluate(page.Users);
    }

    /// <summary>Whether the page needs the store at all: it has users to plan, removals or scope exits.</summary>
    public static bool NeedsStore(DirectoryPage page, List<UserEvaluation> candidates) =>
        candidates.Count > 0 || page.Removed.Count > 0 || page.OutOfScope.Count > 0;

    /// <summary>The directory ids and emails whose stored employees the page needs.</summary>
    public static (List<string> Ids, HashSet<string> Emails) LookupKeys(DirectoryPage page, List<UserEvaluation> candidates)
    {
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

        return (ids, emails);
    }

    /// <summary>Second half of a page: the page's removals and scope exits, then a change for each admitted user.</summary>
    public SyncPlan PlanPage(DirectoryPage page, List<UserEvaluation> candidates, StoredEmployeeIndex stored)
    {
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

            memory.Seen.Remove(removal.Id);
            if (stored.ById.TryGetValue(removal.Id, out var employee) && employee.IsActive)
            {
                var cause = removal.Reason == DirectoryRemovalReason.SoftDeleted
                    ? RemovalCause.SoftDeletedInDirectory
                    : RemovalCause.DeletedInDirectory;
                memory.PendingRemovals[removal.Id] = new PendingRemoval(employee, cause);
            }
        }

        // Users the source found outside the directory scope (for example no longer matching the OData filter on a delta read).
        foreach (var exit in page.OutOfScope)
        {
            if (string.IsNullOrWhiteSpace(exit.Id) || !memory.Seen.Add(exit.Id))
            {
                continue;
            }

            ledger.Record(new UserOutcome { DirectoryId = exit.Id, Action = UserAction.OutOfScope, Reason = exit.Reason });
            if (stored.ById.TryGetValue(exit.Id, out var employee) && employee.IsActive)
            {
                memory.PendingRemovals[exit.Id] = new PendingRemoval(employee, RemovalCause.OutOfScope, exit.Reason);
            }
        }

        return PlanUsers(candidates, stored, final: false);
    }

    /// <summary>Takes the newcomers held back for an email (see <see cref="PlanDeferred"/>).</summary>
    public List<UserEvaluation> TakeDeferred()
    {
        var deferred = memory.Deferred.ToList();
        memory.Deferred.Clear();
        return deferred;
    }

    /// <summary>
    /// Newcomers held back because an employee not yet seen in this run held their email: now that the run knows who
    /// left, plan them again so the email passes to them in this run rather than the next.
    /// </summary>
    public SyncPlan PlanDeferred(List<UserEvaluation> deferred, StoredEmployeeIndex stored) => PlanUsers(deferred, stored, final: true);

    /// <summary>
    /// At the end of a complete read, one linked employee of the tenant: an active one the full read did not return is
    /// a pending removal; a deactivated one past its retention is purged (the returned change).
    /// </summary>
    public EmployeeChange? ConsiderLinked(StoredEmployee employee, bool fullRead, DateTimeOffset now)
    {
        var id = employee.DirectoryId!;
        if (employee.IsActive)
        {
            if (fullRead && !memory.Seen.Contains(id) && !memory.PendingRemovals.ContainsKey(id))
            {
                memory.PendingRemovals[id] = new PendingRemoval(employee, RemovalCause.NotInDirectory);
            }

            return null;
        }

        if (memory.Seen.Contains(id) || !retention.ShouldPurge(employee, now, context))
        {
            return null;
        }

        var purge = new EmployeeChange
        {
            Kind = EmployeeChangeKind.Purge,
            DirectoryId = id,
            Key = employee.Key,
            Timestamp = now,
            Reason = $"deactivated on {employee.DeactivatedAt:yyyy-MM-dd}, retention of {_profile.Removal.RetentionPeriod.TotalDays:0.#} days has passed",
        };
        ledger.Plan(id, UserAction.Purged, ledger.HasRoom ? new UserOutcome
        {
            DirectoryId = id,
            Email = employee.Email,
            Action = UserAction.Purged,
            Reason = purge.Reason,
        } : null);
        return purge;
    }

    /// <summary>Single-user sync: the directory says this linked employee's user is gone.</summary>
    public void AddRemoval(StoredEmployee employee, RemovalCause cause)
    {
        memory.Seen.Add(employee.DirectoryId!);
        memory.PendingRemovals[employee.DirectoryId!] = new PendingRemoval(employee, cause);
    }

    private List<UserEvaluation> Evaluate(IReadOnlyList<DirectoryUser> users)
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

        var candidates = new List<UserEvaluation>(last.Count);
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            ledger.Read++;
            if (user is null || string.IsNullOrWhiteSpace(user.Id))
            {
                ledger.Record(new UserOutcome { Action = UserAction.Skipped, SkipReason = SkipReason.InvalidRecord, Reason = "the directory record has no id" });
                continue;
            }

            if (last[user.Id] != i)
            {
                ledger.Read--;
                if (!_reportedRepeat)
                {
                    _reportedRepeat = true;
                    ledger.Warnings.Add($"The directory sent the same user more than once on one page (first: {user.Id}); the last entry of each was used.");
                }

                continue;
            }

            if (!memory.Seen.Add(user.Id) && context.IsDryRun)
            {
                // Already planned earlier in this dry run; a real run re-reads the store and converges instead.
                continue;
            }

            memory.PendingRemovals.Remove(user.Id);
            var evaluation = evaluator.Evaluate(user, context);

            // An unreadable record has no email the run can rely on.
            candidates.Add(evaluation.ReadFailed ? evaluation with { Email = null } : evaluation);
        }

        return candidates;
    }

    private SyncPlan PlanUsers(List<UserEvaluation> candidates, StoredEmployeeIndex stored, bool final)
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
            var change = PlanUser(candidate, stored.ById.GetValueOrDefault(candidate.User.Id), stored.ByEmail, final);
            if (change is not null)
            {
                changes.Add(change);
            }
        }

        return new SyncPlan(changes);
    }
}
