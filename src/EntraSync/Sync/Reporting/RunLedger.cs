namespace EntraSync.Sync.Reporting;

/// <summary>Counts, per-user outcomes and messages gathered while one run proceeds; becomes the <see cref="SyncReport"/>.</summary>
/// <remarks>
/// A change's outcome is <see cref="Plan">planned</see> when the run decides it and counted only when the store has
/// <see cref="Commit">committed</see> the batch holding it, so a run that fails or is cancelled part-way reports what
/// was written, not what was planned.
/// </remarks>
internal sealed class RunLedger(int maxOutcomes)
{
    private readonly List<UserOutcome> _outcomes = [];
    private readonly Dictionary<string, (UserAction Action, UserOutcome? Outcome)> _planned = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _unmatchedUnits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _unmatchedUserTypes = new(StringComparer.OrdinalIgnoreCase);

    public int Read;
    public int Created;
    public int Linked;
    public int Updated;
    public int Unchanged;
    public int Reactivated;
    public int Deactivated;
    public int Deleted;
    public int Purged;
    public int Staged;
    public int Skipped;
    public int OutOfScope;
    public int Unassigned;
    public int Kept;

    public bool Truncated { get; private set; }

    public List<string> Warnings { get; } = [];

    public List<string> Errors { get; } = [];

    public void Add(UserOutcome outcome)
    {
        if (_outcomes.Count < maxOutcomes)
        {
            _outcomes.Add(outcome);
        }
        else
        {
            Truncated = true;
        }
    }

    public void Count(UserAction action, int count = 1)
    {
        switch (action)
        {
            case UserAction.Created: Created += count; break;
            case UserAction.Linked: Linked += count; break;
            case UserAction.Updated: Updated += count; break;
            case UserAction.Reactivated: Reactivated += count; break;
            case UserAction.Deactivated: Deactivated += count; break;
            case UserAction.Deleted: Deleted += count; break;
            case UserAction.Purged: Purged += count; break;
            case UserAction.Staged: Staged += count; break;
            case UserAction.Kept: Kept += count; break;
            case UserAction.Skipped: Skipped += count; break;
            case UserAction.OutOfScope: OutOfScope += count; break;
            default: throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    /// <summary>
    /// Gets a value indicating whether the report still has room for another outcome. When it has not, the caller
    /// plans the change without building its outcome (a 100,000-user run would otherwise build 90,000 outcomes only
    /// to drop them).
    /// </summary>
    public bool HasRoom => _outcomes.Count < maxOutcomes;

    /// <summary>Notes a change the run decided for <paramref name="directoryId"/>; it is counted (and its outcome listed) when committed.</summary>
    public void Plan(string directoryId, UserAction action, UserOutcome? outcome)
    {
        _planned[directoryId] = (action, outcome);
    }

    /// <summary>Counts the planned changes of a batch the store has committed (or, in a dry run, would have).</summary>
    public void Commit(IReadOnlyList<EmployeeChange> batch)
    {
        foreach (var change in batch)
        {
            if (_planned.Remove(change.DirectoryId, out var planned))
            {
                Count(planned.Action);
                if (planned.Outcome is not null)
                {
                    Add(planned.Outcome);
                }
                else
                {
                    Truncated = true;
                }
            }
        }
    }

    /// <summary>Gets how many planned changes of <paramref name="actions"/> were not committed (the run stopped first).</summary>
    public int NotCommitted(params UserAction[] actions) => _planned.Values.Count(p => actions.Contains(p.Action));

    /// <summary>Gets the outcomes of planned changes not committed (yet).</summary>
    public IEnumerable<UserOutcome> Uncommitted => _planned.Values.Select(p => p.Outcome).OfType<UserOutcome>();

    /// <summary>Gets the removals committed so far: deactivated, deleted and purged.</summary>
    public int Removed => Deactivated + Deleted + Purged;

    /// <summary>Gets every change committed so far.</summary>
    public int Changes => Created + Linked + Updated + Reactivated + Deactivated + Deleted + Purged;

    public void Record(UserOutcome outcome)
    {
        Count(outcome.Action);
        Add(outcome);
    }

    public void RecordUnmatched(AssignmentMatch match)
    {
        if (!string.IsNullOrWhiteSpace(match.UnmatchedUnitValue))
        {
            _unmatchedUnits[match.UnmatchedUnitValue] = _unmatchedUnits.GetValueOrDefault(match.UnmatchedUnitValue) + 1;
        }

        foreach (var value in match.UnmatchedUserTypeValues)
        {
            _unmatchedUserTypes[value] = _unmatchedUserTypes.GetValueOrDefault(value) + 1;
        }
    }

    public SyncCounts ToCounts() => new()
    {
        Read = Read,
        Created = Created,
        Linked = Linked,
        Updated = Updated,
        Unchanged = Unchanged,
        Reactivated = Reactivated,
        Deactivated = Deactivated,
        Deleted = Deleted,
        Purged = Purged,
        Staged = Staged,
        Skipped = Skipped,
        OutOfScope = OutOfScope,
        Unassigned = Unassigned,
        Kept = Kept,
    };

    public IReadOnlyList<UserOutcome> Outcomes => _outcomes;

    public IReadOnlyDictionary<string, int> UnmatchedUnits => _unmatchedUnits;

    public IReadOnlyDictionary<string, int> UnmatchedUserTypes => _unmatchedUserTypes;
}
