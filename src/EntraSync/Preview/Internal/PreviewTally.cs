namespace EntraSync.Preview.Internal;

/// <summary>Counts and lists a preview's users as they are evaluated, and applies the checks sync makes before importing.</summary>
internal sealed class PreviewTally(SyncPreviewOptions options)
{
    private readonly List<UserPreview> _users = [];
    private readonly Sync.Planning.EmailClaims _emailOwners = new();
    private readonly Dictionary<string, int> _outOfScope = new(StringComparer.Ordinal);
    private readonly Dictionary<SkipReason, int> _skipped = [];
    private readonly Dictionary<string, int> _unmatchedUnits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _unmatchedUserTypes = new(StringComparer.OrdinalIgnoreCase);
    private int _read;
    private int _imported;
    private int _unassigned;
    private bool _truncated;

    /// <summary>Counts and lists one result.</summary>
    /// <param name="user">The result.</param>
    /// <param name="read">Whether it is a user read (not a record the source rejected), as the sync report counts.</param>
    public void Add(UserPreview user, bool read = true)
    {
        _read += read ? 1 : 0;
        switch (user.Outcome)
        {
            case UserPreviewOutcome.Imported:
                _imported++;
                _unassigned += user.IsUnassigned ? 1 : 0;
                break;
            case UserPreviewOutcome.OutOfScope:
                _outOfScope[user.Reason ?? ""] = _outOfScope.GetValueOrDefault(user.Reason ?? "") + 1;
                break;
            default:
                var reason = user.SkipReason ?? SkipReason.InvalidRecord;
                _skipped[reason] = _skipped.GetValueOrDefault(reason) + 1;
                break;
        }

        if (user.Outcome == UserPreviewOutcome.OutOfScope && !options.IncludeOutOfScope)
        {
            return;
        }

        if (_users.Count < options.MaxUsers)
        {
            _users.Add(user);
        }
        else
        {
            _truncated = true;
        }
    }

    /// <summary>The duplicate-email check sync applies to an in-scope user with its mandatory fields, in the same words.</summary>
    public (SkipReason? Skip, string? Reason) CheckDuplicate(string directoryId, string? email)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            var key = email.Trim();
            var claim = Sync.Planning.EmailClaims.KeyOf(key);
            if (!_emailOwners.IsOwnedBy(claim, directoryId) && _emailOwners.TryGetOwner(claim, out var owner))
            {
                return (SkipReason.DuplicateEmail, $"two directory users have the email {key}: this one and {owner}");
            }

            _emailOwners.Claim(claim, directoryId);
        }

        return (null, null);
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

    public SyncPreviewResult ToResult(string tenantId, bool complete, IReadOnlyCollection<string> properties, IReadOnlyList<string> warnings, IReadOnlyList<string> errors) => new()
    {
        TenantId = tenantId,
        IsComplete = complete,
        Properties = properties,
        Users = _users,
        IsUserListTruncated = _truncated,
        Totals = new SyncPreviewTotals
        {
            Read = _read,
            Imported = _imported,
            OutOfScope = _outOfScope.Values.Sum(),
            Skipped = _skipped.Values.Sum(),
            Unassigned = _unassigned,
            OutOfScopeByReason = _outOfScope,
            SkippedByReason = _skipped,
        },
        UnmatchedUnitValues = _unmatchedUnits,
        UnmatchedUserTypeValues = _unmatchedUserTypes,
        Warnings = warnings,
        Errors = errors,
    };
}
