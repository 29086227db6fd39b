namespace EntraSync.Matching.Internal;

/// <summary>What the matcher loaded for one run: the names to match against, with aliases, in the profile's case rule.</summary>
internal sealed class MatchState
{
    public const string ItemKey = "EntraSync.Matching.MatchState";

    private readonly Dictionary<string, string> _units;
    private readonly Dictionary<string, string> _userTypes;
    private readonly Dictionary<string, string> _unitAliases;
    private readonly Dictionary<string, string> _userTypeAliases;
    private readonly StringComparer _comparer;

    public MatchState(AssignmentMatchingOptions options, IEnumerable<string> units, IEnumerable<string> userTypes)
    {
        _comparer = options.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        UnitField = options.UnitField;
        UserTypeField = options.UserTypeField;
        _units = Index(units);
        _userTypes = Index(userTypes);
        _unitAliases = Aliases(options.UnitAliases);
        _userTypeAliases = Aliases(options.UserTypeAliases);
    }

    public MatchingField UnitField { get; }

    public MatchingField UserTypeField { get; }

    public int UnitCount => _units.Count;

    public int UserTypeCount => _userTypes.Count;

    public AssignmentMatch Match(DirectoryUser user)
    {
        var notes = new List<string>(2);
        var (unit, unmatchedUnit) = MatchUnit(user.GetString(MatchingFields.GraphProperty(UnitField))?.Trim(), notes);
        var (userTypes, unmatchedTypes) = MatchUserTypes(user.GetString(MatchingFields.GraphProperty(UserTypeField)), notes);
        return new AssignmentMatch
        {
            Assignment = unit is null && userTypes.Count == 0 ? EmployeeAssignment.Unassigned : new EmployeeAssignment { Unit = unit, UserTypes = userTypes },
            UnmatchedUnitValue = unmatchedUnit,
            UnmatchedUserTypeValues = unmatchedTypes,
            Note = notes.Count == 0 ? null : string.Join("; ", notes),
        };
    }

    private (string? Unit, string? Unmatched) MatchUnit(string? value, List<string> notes)
    {
        if (string.IsNullOrEmpty(value))
        {
            notes.Add($"no unit: {UnitField} is empty");
            return (null, null);
        }

        // A unit whose own name holds a comma still matches; only otherwise is a comma a list of units.
        if (Resolve(value, _units, _unitAliases) is { } unit)
        {
            return (unit, null);
        }

        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 1)
        {
            notes.Add($"no unit: more than one unit stated in {UnitField} (\"{value}\")");
            return (null, value);
        }

        if (parts.Length == 1 && Resolve(parts[0], _units, _unitAliases) is { } single)
        {
            return (single, null);
        }

        var unmatched = parts.Length == 1 ? parts[0] : value;
        notes.Add(AliasTarget(unmatched, _unitAliases) is { } target
            ? $"no unit: {UnitField} \"{unmatched}\" is an alias of \"{target}\", which is not a unit"
            : $"no unit: {UnitField} \"{unmatched}\" matches no unit");
        return (null, unmatched);
    }

    private (IReadOnlyList<string> UserTypes, IReadOnlyList<string> Unmatched) MatchUserTypes(string? value, List<string> notes)
    {
        var parts = (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            notes.Add($"no user type: {UserTypeField} is empty");
            return ([], []);
        }

        var matched = new List<string>(parts.Length);
        var unmatched = new List<string>();
        foreach (var part in parts)
        {
            if (Resolve(part, _userTypes, _userTypeAliases) is { } userType)
            {
                if (!matched.Contains(userType, StringComparer.Ordinal))
                {
                    matched.Add(userType);
                }
            }
            else if (!unmatched.Contains(part, _comparer))
            {
                unmatched.Add(part);
            }
        }

        if (matched.Count == 0)
        {
            notes.Add($"no user type: {UserTypeField} \"{value!.Trim()}\" matches no user type");
        }

        return (matched, unmatched);
    }

    private static string? Resolve(string value, Dictionary<string, string> names, Dictionary<string, string> aliases)
    {
        if (names.TryGetValue(value, out var name))
        {
            return name;
        }

        return aliases.TryGetValue(value, out var target) && names.TryGetValue(target, out var aliased) ? aliased : null;
    }

    private static string? AliasTarget(string value, Dictionary<string, string> aliases) => aliases.GetValueOrDefault(value);

    private Dictionary<string, string> Index(IEnumerable<string> names)
    {
        var index = new Dictionary<string, string>(_comparer);
        foreach (var name in names)
        {
            if (!string.IsNullOrWhiteSpace(name))
            {
                index.TryAdd(name.Trim(), name.Trim());
            }
        }

        return index;
    }

    private Dictionary<string, string> Aliases(IDictionary<string, string>? aliases)
    {
        // Built anew: configuration binding replaces the options' dictionary with one that compares case-sensitively.
        var index = new Dictionary<string, string>(_comparer);
        foreach (var (alias, target) in aliases ?? new Dictionary<string, string>())
        {
            if (!string.IsNullOrWhiteSpace(alias) && !string.IsNullOrWhiteSpace(target))
            {
                index[alias.Trim()] = target.Trim();
            }
        }

        return index;
    }
}
