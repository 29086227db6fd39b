using EntraSync.Filtering.Internal;
using EntraSync.Graph.Internal;

namespace EntraSync.Filtering.Internal;

/// <summary>Checks a profile's filters at start-up.</summary>
internal static class UserFilterValidator
{
    public static void Validate(SyncProfile profile, string prefix, ICollection<string> errors)
    {
        var filter = profile.Filter;
        if (filter is null)
        {
            errors.Add($"{prefix}Filter is missing. Leave it out for no filtering.");
            return;
        }

        var groups = filter.Groups ?? [];
        for (var g = 0; g < groups.Count; g++)
        {
            var groupPath = $"{prefix}Filter:Groups:{g}:";
            var rules = groups[g]?.Rules ?? [];
            if (rules.Count == 0)
            {
                errors.Add($"{groupPath}Rules is empty, so the group lets every user in. Add rules to the group or remove it.");
                continue;
            }

            for (var r = 0; r < rules.Count; r++)
            {
                ValidateRule(rules[r], $"{groupPath}Rules:{r}:", filter.CaseSensitive, errors);
            }
        }

        var people = filter.PeopleOnly;
        if (people is null)
        {
            return;
        }

        ValidatePatterns(people.RoomAndSharedMailboxPatterns, $"{prefix}Filter:PeopleOnly:RoomAndSharedMailboxPatterns", errors);
        ValidatePatterns(people.ServiceAccountPatterns, $"{prefix}Filter:PeopleOnly:ServiceAccountPatterns", errors);
    }

    private static void ValidateRule(FilterRule? rule, string path, bool caseSensitive, ICollection<string> errors)
    {
        if (rule is null)
        {
            errors.Add($"{path.TrimEnd(':')} is empty. Give the rule a Property and an Operator, or remove it.");
            return;
        }

        if (string.IsNullOrWhiteSpace(rule.Property))
        {
            errors.Add($"{path}Property is empty. Name the Graph user property the rule reads, for example \"department\".");
        }
        else if (GraphUserProperties.Check(rule.Property.Trim()) is { } problem)
        {
            errors.Add(GraphUserProperties.Sentence($"{path}Property {problem}"));
        }

        switch (rule.Operator)
        {
            case FilterOperator.EqualTo or FilterOperator.NotEqualTo or FilterOperator.StartsWith or FilterOperator.EndsWith or FilterOperator.Contains:
                if (rule.Value is null)
                {
                    errors.Add($"{path}Value is missing for operator {rule.Operator}. Set the text to compare with.");
                }

                break;
            case FilterOperator.In:
                if (!CompiledRule.InValues(rule).Any())
                {
                    errors.Add($"{path}Values is empty for operator In. List the values, for example [\"Sales\", \"Marketing\"] (or a comma-separated Value).");
                }

                break;
            case FilterOperator.MatchesRegex or FilterOperator.NotMatchesRegex:
                if (string.IsNullOrEmpty(rule.Value))
                {
                    errors.Add($"{path}Value is missing for operator {rule.Operator}. Set a regular expression, for example \"^(Sales|Marketing)$\".");
                }
                else
                {
                    try
                    {
                        _ = new CompiledRule(rule, caseSensitive);
                    }
                    catch (ArgumentException ex)
                    {
                        errors.Add($"{path}Value \"{rule.Value}\" is not a valid regular expression: {ex.Message} Fix the expression (.NET syntax).");
                    }
                }

                break;
            case FilterOperator.GreaterThan or FilterOperator.LessThan:
                if (CompiledRule.ParseNumber(rule.Value) is null && CompiledRule.ParseDate(rule.Value) is null)
                {
                    errors.Add($"{path}Value \"{rule.Value}\" is neither a number nor a date for operator {rule.Operator}. Use a number such as 10 or an ISO 8601 date such as 2024-01-31T00:00:00Z.");
                }

                break;
            case FilterOperator.IsNull or FilterOperator.IsNotNull or FilterOperator.IsTrue or FilterOperator.IsFalse:
                break;
            default:
                errors.Add($"{path}Operator is {rule.Operator}. Use one of {string.Join(", ", Enum.GetNames<FilterOperator>())}.");
                break;
        }
    }

    private static void ValidatePatterns(IList<string>? patterns, string path, ICollection<string> errors)
    {
        for (var i = 0; i < (patterns?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(patterns![i]))
            {
                errors.Add($"{path}:{i} is empty. Use a wildcard pattern such as \"svc-*\" or remove it.");
            }
        }
    }
}
