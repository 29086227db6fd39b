using EntraSync.Sync.Planning;
using EntraSync.Sync.Reporting;

namespace EntraSync.Sync.Guards;

/// <summary>
/// The guards every removal passes, in one place: the removal policy (keep, deactivate, delete) and the deletion
/// thresholds (count and percentage). A read that is not complete never reaches them: the runner calls the guards only
/// after the source reported the read complete. Removals above a threshold go to <see cref="StagedRemovalsGuard"/>.
/// </summary>
/// <param name="context">The run.</param>
/// <param name="retention">The removal policy.</param>
/// <param name="ledger">Where kept and planned removals are recorded.</param>
/// <param name="memory">The run's pending removals and who it removed.</param>
internal sealed class RemovalGuard(SyncContext context, IRetentionPolicy retention, RunLedger ledger, RunMemory memory)
{
    /// <summary>The run's pending removals the policy does not keep, with their action; the kept ones are recorded as kept.</summary>
    public List<(PendingRemoval Pending, RemovalAction Action)> Decide()
    {
        var removals = new List<(PendingRemoval Pending, RemovalAction Action)>();
        foreach (var pending in memory.PendingRemovals.Values)
        {
            var action = retention.DecideRemoval(pending.Employee, pending.Cause, context);
            if (action == RemovalAction.Keep)
            {
                ledger.Record(Outcome(pending, UserAction.Kept, "kept by the removal policy: " + Describe(pending.Cause)));
            }
            else
            {
                removals.Add((pending, action));
            }
        }

        return removals;
    }

    /// <summary>Whether <paramref name="count"/> removals out of <paramref name="activeLinked"/> active employees exceed a threshold, and why.</summary>
    public bool ExceedsThreshold(int count, int activeLinked, out string why)
    {
        var removal = context.Profile.Removal;
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

    /// <summary>Whether the percentage threshold can hold back a single removal (then the caller counts the active employees).</summary>
    public bool PercentageGuardsOne => context.Profile.Removal.PercentageGuardMinimum <= 1;

    /// <summary>Records a removal the run keeps although the policy would remove it, with why.</summary>
    public void Keep(PendingRemoval pending, string reason) => ledger.Record(Outcome(pending, UserAction.Kept, reason));

    /// <summary>A removal that passed the guards: remembered as removed by the run and planned in the ledger.</summary>
    public EmployeeChange Pass(PendingRemoval pending, RemovalAction action, DateTimeOffset now)
    {
        memory.Removed.Add(pending.Employee.DirectoryId!);
        return Plan(ledger, pending, action, now);
    }

    /// <summary>Plans a removal in <paramref name="ledger"/>: the change to write and its outcome.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="pending">The employee and the cause.</param>
    /// <param name="action">Deactivate or delete.</param>
    /// <param name="now">The change's time.</param>
    /// <param name="note">Added to the outcome's reason in brackets (for example who approved it).</param>
    public static EmployeeChange Plan(RunLedger ledger, PendingRemoval pending, RemovalAction action, DateTimeOffset now, string? note = null)
    {
        var userAction = action == RemovalAction.Delete ? UserAction.Deleted : UserAction.Deactivated;
        var reason = note is null ? Describe(pending.Cause) : $"{Describe(pending.Cause)} ({note})";
        ledger.Plan(pending.Employee.DirectoryId!, userAction, ledger.HasRoom ? Outcome(pending, userAction, reason) : null);
        return new EmployeeChange
        {
            Kind = action == RemovalAction.Delete ? EmployeeChangeKind.Delete : EmployeeChangeKind.Deactivate,
            DirectoryId = pending.Employee.DirectoryId!,
            Key = pending.Employee.Key,
            Timestamp = now,
            Reason = Describe(pending.Cause),
        };
    }

    /// <summary>A removal cause in an administrator's words.</summary>
    public static string Describe(RemovalCause cause) => cause switch
    {
        RemovalCause.NotInDirectory => "not returned by the directory any more (deleted, or outside the configured scope)",
        RemovalCause.SoftDeletedInDirectory => "deleted in the directory (restorable there)",
        RemovalCause.DeletedInDirectory => "permanently deleted in the directory",
        _ => "no longer in the tenant's scope",
    };

    /// <summary>The outcome of a removal (or of not removing), with the scope's words for a scope exit.</summary>
    public static UserOutcome Outcome(PendingRemoval pending, UserAction action, string reason) => new()
    {
        DirectoryId = pending.Employee.DirectoryId,
        Email = pending.Employee.Email,
        Action = action,
        Reason = pending.Cause == RemovalCause.OutOfScope && pending.ScopeReason is not null ? $"{reason}: {pending.ScopeReason}" : reason,
    };
}
