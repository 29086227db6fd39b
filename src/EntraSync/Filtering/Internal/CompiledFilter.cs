using System.Text;
using System.Text.RegularExpressions;

namespace EntraSync.Filtering.Internal;

/// <summary>A profile's filters parsed once per run: the "people only" preset parts, then the rule groups.</summary>
internal sealed class CompiledFilter
{
    private const string ItemKey = "EntraSync.Filtering.CompiledFilter";
    private const string Preset = "people only";

    private readonly List<(string? Name, List<CompiledRule> Rules)> _groups = [];
    private readonly PeopleOnlyOptions _people;
    private readonly List<(string Pattern, Regex Regex)> _roomPatterns = [];
    private readonly List<(string Pattern, Regex Regex)> _servicePatterns = [];

    private CompiledFilter(UserFilterOptions options)
    {
        foreach (var group in options.Groups ?? [])
        {
            _groups.Add((group?.Name, (group?.Rules ?? []).Where(r => r is not null).Select(r => new CompiledRule(r, options.CaseSensitive)).ToList()));
        }

        _people = options.PeopleOnly ?? new PeopleOnlyOptions();
        if (_people.Enabled)
        {
            AddPatterns(_roomPatterns, _people.UseBuiltInPatterns ? PeopleOnlyOptions.BuiltInRoomAndSharedMailboxPatterns : [], _people.RoomAndSharedMailboxPatterns);
            AddPatterns(_servicePatterns, _people.UseBuiltInPatterns ? PeopleOnlyOptions.BuiltInServiceAccountPatterns : [], _people.ServiceAccountPatterns);
        }
    }

    /// <summary>Gets the run's compiled filter, compiling it on first use in the run.</summary>
    public static CompiledFilter For(SyncContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var item) && item is CompiledFilter compiled)
        {
            return compiled;
        }

        compiled = new CompiledFilter(context.Profile.Filter ?? new UserFilterOptions());
        context.Items[ItemKey] = compiled;
        return compiled;
    }

    /// <summary>Turns a wildcard pattern (<c>*</c>, <c>?</c>) into a whole-text, case-insensitive regular expression.</summary>
    public static Regex Glob(string pattern) => new(
        "^" + Regex.Escape(pattern.Trim()).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline,
        TimeSpan.FromSeconds(1));

    public IReadOnlyCollection<string> GetRequiredProperties()
    {
        var properties = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, rules) in _groups)
        {
            foreach (var rule in rules)
            {
                properties.Add(rule.SelectedProperty);
            }
        }

        if (_people.Enabled)
        {
            if (_people.ExcludeDisabledAccounts)
            {
                properties.Add("accountEnabled");
            }

            if (_people.ExcludeGuests)
            {
                properties.UnionWith(["userType", "userPrincipalName"]);
            }

            if (_people.ExcludeUnlicensed)
            {
                properties.Add("assignedLicenses");
            }

            if ((_people.ExcludeRoomsAndSharedMailboxes && _roomPatterns.Count > 0) || (_people.ExcludeServiceAccounts && _servicePatterns.Count > 0))
            {
                properties.UnionWith(["displayName", "userPrincipalName", "mail"]);
            }

            if (_people.ExcludeUsersWithoutName)
            {
                properties.UnionWith(["givenName", "surname"]);
            }
        }

        return properties;
    }

    public ScopeDecision Evaluate(DirectoryUser user)
    {
        if (_people.Enabled && ExcludedByPreset(user) is { } presetReason)
        {
            return ScopeDecision.OutOfScope($"{Preset}: {presetReason}");
        }

        if (_groups.Count == 0)
        {
            return ScopeDecision.InScope;
        }

        var failures = new List<string>(_groups.Count);
        for (var g = 0; g < _groups.Count; g++)
        {
            var (name, rules) = _groups[g];
            string? failure = null;
            foreach (var rule in rules)
            {
                if (!rule.Holds(user, out failure))
                {
                    break;
                }
            }

            if (failure is null)
            {
                return ScopeDecision.InScope;
            }

            failures.Add(_groups.Count == 1 ? failure : $"group {(string.IsNullOrWhiteSpace(name) ? (g + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"\"{name}\"")}: {failure}");
        }

        return ScopeDecision.OutOfScope(failures.Count == 1
            ? $"filter: {failures[0]}"
            : new StringBuilder("filter: no group holds; ").AppendJoin("; ", failures).ToString());
    }

    private string? ExcludedByPreset(DirectoryUser user)
    {
        if (_people.ExcludeDisabledAccounts && user.TryGetValue("accountEnabled", out var enabled) && enabled.AsBoolean() == false)
        {
            return "disabled account (accountEnabled is false)";
        }

        if (_people.ExcludeGuests)
        {
            if (string.Equals(user.GetString("userType")?.Trim(), "Guest", StringComparison.OrdinalIgnoreCase))
            {
                return "guest (userType is Guest)";
            }

            if (user.GetString("userPrincipalName")?.Contains("#EXT#", StringComparison.OrdinalIgnoreCase) == true)
            {
                return "guest (user principal name contains #EXT#)";
            }
        }

        if (_people.ExcludeUnlicensed && !user.GetList("assignedLicenses").Any(l => !string.IsNullOrWhiteSpace(l)))
        {
            return "no license (assignedLicenses is empty)";
        }

        if (_people.ExcludeRoomsAndSharedMailboxes && Match(user, _roomPatterns) is { } room)
        {
            return $"room, equipment or shared mailbox ({room})";
        }

        if (_people.ExcludeServiceAccounts && Match(user, _servicePatterns) is { } service)
        {
            return $"service account ({service})";
        }

        if (_people.ExcludeUsersWithoutName && string.IsNullOrWhiteSpace(user.GetString("givenName")) && string.IsNullOrWhiteSpace(user.GetString("surname")))
        {
            return "no given name and no surname";
        }

        return null;
    }

    private static string? Match(DirectoryUser user, List<(string Pattern, Regex Regex)> patterns)
    {
        if (patterns.Count == 0)
        {
            return null;
        }

        foreach (var property in (ReadOnlySpan<string>)["displayName", "userPrincipalName", "mail"])
        {
            var value = user.GetString(property)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            foreach (var (pattern, regex) in patterns)
            {
                if (regex.IsMatch(value))
                {
                    return $"{property} \"{value}\" matches \"{pattern}\"";
                }
            }
        }

        return null;
    }

    private static void AddPatterns(List<(string, Regex)> target, IEnumerable<string> builtIn, IEnumerable<string>? configured)
    {
        foreach (var pattern in builtIn.Concat(configured ?? []))
        {
            if (!string.IsNullOrWhiteSpace(pattern))
            {
                target.Add((pattern.Trim(), Glob(pattern)));
            }
        }
    }
}
