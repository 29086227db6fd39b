namespace EntraSync.Sync.Internal;

/// <summary>Counts, per-user outcomes and messages gathered while one run proceeds; becomes the <see cref="SyncReport"/>.</summary>
internal sealed class RunLedger(int maxOutcomes)
{
    private readonly List<UserOutcome> _outcomes = [];
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
    /// Whether the report still has room for an outcome of <paramref name="action"/>. When it has not, the action is
    /// counted here and the caller skips building the outcome (a 100,000-user run would otherwise build 90,000 outcomes
    /// only to drop them); when it has, the caller records the outcome, which counts it.
    /// </summary>
    public bool HasRoomFor(UserAction action)
    {
        if (_outcomes.Count < maxOutcomes)
        {
            return true;
        }

        Count(action);
        Truncated = true;
        return false;
    }

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
